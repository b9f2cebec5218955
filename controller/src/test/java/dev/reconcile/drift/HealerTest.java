package dev.reconcile.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.audit.Events;
import dev.reconcile.deploy.DeploymentListener;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.diag.Diagnostics;
import dev.reconcile.engine.Hosts;
import dev.reconcile.engine.Layout;
import dev.reconcile.engine.ObservedStateCollector;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.execute.ApplySettings;
import dev.reconcile.execute.Cancellation;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Differ;
import dev.reconcile.provider.ApplyRequest;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.ObservedBatch;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.ResourceKind;
import dev.reconcile.store.SnapshotRecorder;
import dev.reconcile.testing.ManualClock;
import dev.reconcile.testing.ObservedFixture;
import dev.reconcile.validate.SpecValidator;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The healer where it lives: which containers it replaces although their labels match the
 * snapshot, and what it refuses to do, with a fake engine and a clock the test holds. (Heals that
 * deploy, on real containers and nginx: DriftIT.)
 */
class HealerTest {
  @TempDir
  Path dir;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final FakeEngine engine = new FakeEngine();
  private final List<String> observedTargets = new ArrayList<>();
  private Reconciliation reconciliation;
  private Reconciliation.Outcome.Planned planned;

  /** Observes nothing, or fails as told; never applies. */
  private final class FakeEngine implements Provider {
    volatile ProviderException failure;

    @Override
    public String name() {
      return "fake engine";
    }

    @Override
    public Set<ResourceKind> kinds() {
      return Set.of(ResourceKind.values());
    }

    @Override
    public boolean serves(ObserveTarget target) {
      return true;
    }

    @Override
    public ObservedBatch observe(ObserveRequest request) throws ProviderException {
      observedTargets.add(request.target().describe());
      if (failure != null) {
        throw failure;
      }
      return new ObservedBatch(List.of(), List.of(), List.of());
    }

    @Override
    public Outcome apply(ApplyRequest request) {
      throw request.notApplied(this, "the fake engine never applies");
    }
  }

  @BeforeEach
  void plannedAsDeclared() throws IOException {
    var spec = SpecValidator.standard()
        .validate("""
            version: 1
            projects:
              shop:
                domains: { production: shop.test }
                containers:
                  web: { image: "example/shop:1", port: 8080 }
                  worker: { image: "example/shop:1", command: [work] }
              blog:
                domains: { production: blog.test }
                containers:
                  web: { image: "example/blog:1", port: 8080 }
            """.getBytes(StandardCharsets.UTF_8), "projects.yml")
        .spec()
        .orElseThrow();
    var desired = new Expander(Variables.NONE).expand(spec, Selection.ALL);
    var file = dir.resolve("observed.json");
    Files.writeString(file, """
        {"containers": [{"id": "container:shop/production/web"}, {"id": "container:shop/production/worker"},
                        {"id": "container:blog/production/web"}]}
        """);
    var observed = ObservedFixture.read(file, desired);
    planned = new Reconciliation.Outcome.Planned(
        Diagnostics.empty(),
        spec,
        new Layout(dir, dir.resolve("state"), dir.resolve("sites"), "owner"),
        desired,
        observed,
        Differ.diff(desired, observed, DiffOptions.DEFAULT),
        Map.of());
    reconciliation = new Reconciliation(
        SpecValidator.standard(),
        new ObservedStateCollector(List.of(engine), Hosts.discover()),
        Map.of());
  }

  private static DriftItem drift(String kind, String resource) {
    var environment = resource.substring(resource.indexOf(':') + 1, resource.lastIndexOf('/'));
    return new DriftItem(
        kind + ":" + resource,
        DriftClass.DRIFT,
        kind,
        environment,
        resource,
        "found by the test",
        Optional.empty(),
        "reconcile drift --heal");
  }

  private List<Healer.Healed> heal(DriftReport report, Cancellation cancellation) throws Exception {
    var listener = (DeploymentListener) Proxy.newProxyInstance(
        getClass().getClassLoader(),
        new Class<?>[] {DeploymentListener.class},
        (proxy, method, args) -> null);
    return new Healer(reconciliation, Map.of(), clock, Events.NONE)
        .heal(
            planned,
            report,
            false,
            new ApplySettings(Duration.ZERO, Duration.ZERO),
            listener,
            cancellation);
  }

  /** The containers a plan changes (the fixture observes no site: that is planned too). */
  private static List<String> containerChanges(Reconciliation.Outcome.Planned p) {
    return p.plan().changes().stream()
        .filter(c -> c.action() != Action.NOOP && c.id().kind() == ResourceKind.CONTAINER)
        .map(c -> c.id().toString())
        .toList();
  }

  @Test
  void theContainersChangedOutsideReconcile_areReplaced_andNothingElse() {
    assertThat(containerChanges(planned)).as("every container as declared").isEmpty();
    var report = new DriftReport(
        List.of(
            drift("env-changed", "container:shop/production/web"),
            drift("container-missing", "container:shop/production/worker"),
            drift("restarted", "container:blog/production/web")),
        List.of());

    var healing = Healer.replacing(planned, report, "shop/production");

    assertThat(containerChanges(healing))
        .as("only the one whose env changed: another kind is planned by the diff itself, "
            + "another environment heals on its own")
        .containsExactly("container:shop/production/web");
    assertThat(healing.observed().get(ResourceId.container("blog", "production", "web")))
        .isEqualTo(planned.observed().get(ResourceId.container("blog", "production", "web")));
  }

  @Test
  void aReportWithoutReplacingKinds_leavesThePlanAsItIs() {
    var report = new DriftReport(List.of(drift("site-edited", "site:shop/production")), List.of());

    assertThat(Healer.replacing(planned, report, "shop/production")).isSameAs(planned);
  }

  @Test
  void anEnvironmentWithoutASnapshot_isNotHealed_andTheErrorNamesIt() {
    var report =
        new DriftReport(List.of(drift("env-changed", "container:shop/production/web")), List.of());

    assertThatThrownBy(() -> heal(report, Cancellation.none()))
        .isInstanceOf(IOException.class)
        .hasMessage("no snapshot of shop/production to heal towards");
    assertThat(observedTargets).as("nothing observed").isEmpty();
  }

  @Test
  void anEngineThatCannotBeObserved_stopsTheHeal_namingTheEnvironmentAndWhy() throws Exception {
    new SnapshotRecorder(
            planned.layout().snapshots(10), clock, dir, planned.layout().secrets())
        .record(
            "shop/production", Optional.empty(), planned.observed(), planned.desired(), "apply");
    engine.failure = new ProviderException.Transient("engine", "connection refused", "", null);
    var report =
        new DriftReport(List.of(drift("env-changed", "container:shop/production/web")), List.of());

    assertThatThrownBy(() -> heal(report, Cancellation.none()))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot observe shop/production to heal it: connection refused");
  }

  @Test
  void aCancelledRun_healsNothing() throws Exception {
    var cancellation = Cancellation.none();
    cancellation.cancel("SIGTERM");
    var report =
        new DriftReport(List.of(drift("env-changed", "container:shop/production/web")), List.of());

    assertThat(heal(report, cancellation)).isEmpty();
    assertThat(observedTargets).isEmpty();
  }
}
