package dev.reconcile.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.engine.FrontDoors;
import dev.reconcile.engine.Hosts;
import dev.reconcile.engine.Layout;
import dev.reconcile.model.HostSpec;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Differ;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.Outcome;
import dev.reconcile.providers.host.LocalHost;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's orchestration, with an in-memory runtime: independent environments roll out
 * at the same time. (Real containers and nginx are exercised by ApplyIT.)
 */
class ExecutorTest {
  @TempDir
  Path dir;

  private static final String SPEC = """
      version: 1
      projects:
        alpha:
          domains: { production: alpha.test }
          containers: { worker: { image: "example/worker:1" } }
        beta:
          domains: { production: beta.test }
          containers: { worker: { image: "example/worker:1" } }
      """;

  /** Starts containers only once both environments are starting: sequential would never get there. */
  private static class MeetingRuntime implements ContainerRuntime {
    final CountDownLatch bothStarting = new CountDownLatch(2);

    @Override
    public boolean runs(HostSpec host) {
      return true;
    }

    @Override
    public RunningSlot start(HostSpec host, SlotLaunch launch) {
      bothStarting.countDown();
      try {
        if (!bothStarting.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException(
              launch.container().id() + " started alone: no parallelism");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new RunningSlot(
          launch.container().id(),
          "id-" + launch.container().id().project(),
          launch.container().id().project() + "-worker",
          launch.slot(),
          launch.hostPort());
    }

    @Override
    public String health(HostSpec host, String containerId) {
      return "running";
    }

    @Override
    public Outcome remove(HostSpec host, ResourceId id, String container) {
      return new Outcome.Deleted(id, container);
    }

    @Override
    public void pull(
        HostSpec host,
        String image,
        Optional<Login> login,
        java.time.Duration limit,
        java.util.function.Consumer<String> progress) {
      throw new AssertionError("no pull expected");
    }

    @Override
    public Set<Integer> publishedPorts(HostSpec host) {
      return Set.of();
    }

    @Override
    public Outcome stop(HostSpec host, ResourceId id, String container) {
      throw new AssertionError("no stop expected");
    }

    @Override
    public Outcome startAgain(HostSpec host, ResourceId id, String container) {
      throw new AssertionError("no start expected");
    }
  }

  /** Makes the environments' networks, as the Docker provider would. */
  private static final class Networks implements dev.reconcile.provider.Provider {
    @Override
    public String name() {
      return "networks";
    }

    @Override
    public Set<dev.reconcile.resource.ResourceKind> kinds() {
      return Set.of(dev.reconcile.resource.ResourceKind.NETWORK);
    }

    @Override
    public boolean serves(dev.reconcile.provider.ObserveTarget target) {
      return target instanceof dev.reconcile.provider.ObserveTarget.DockerHost;
    }

    @Override
    public dev.reconcile.provider.ObservedBatch observe(
        dev.reconcile.provider.ObserveRequest request) {
      return new dev.reconcile.provider.ObservedBatch(
          java.util.List.of(), java.util.List.of(), java.util.List.of());
    }

    @Override
    public Outcome apply(dev.reconcile.provider.ApplyRequest request) {
      return new Outcome.Created(request.change().id(), "networks");
    }
  }

  /** No site is involved (the containers are not routed); any call would be a bug. */
  private static final class NoSites extends QuietSites {

    @Override
    public String render(
        dev.reconcile.provider.FrontDoor door, DesiredSite site, Map<String, String> upstreams) {
      throw new AssertionError("no site expected");
    }

    @Override
    public Optional<String> revision(String text) {
      throw new AssertionError("no site expected");
    }

    @Override
    public Verdict check(FrontDoor door, ResourceId site, String text) {
      throw new AssertionError("no site expected");
    }

    @Override
    public void install(FrontDoor door, ResourceId site, String text) {
      throw new AssertionError("no site expected");
    }

    @Override
    public Outcome uninstall(FrontDoor door, ResourceId site) {
      throw new AssertionError("no site expected");
    }

    @Override
    public void reload(FrontDoor door) {
      throw new AssertionError("no reload expected");
    }
  }

  /** A context of this test's folder, no site, no waits: what the tests here vary is given. */
  private RolloutContext context(
      dev.reconcile.model.PlatformSpec spec,
      dev.reconcile.desired.DesiredState desired,
      ObservedState observed,
      java.util.List<dev.reconcile.provider.Provider> providers,
      ContainerRuntime runtime) {
    return new RolloutContext(
        spec,
        desired,
        observed,
        providers,
        runtime,
        new NoSites(),
        new FrontDoor(new LocalHost("local"), spec.platform().nginx(), dir, dir.resolve("sites")),
        new FrontDoors(
            spec.platform(), new Layout(dir, dir, dir.resolve("sites"), "owner"), Hosts.discover()),
        Hosts.discover(),
        dir,
        "owner",
        new dev.reconcile.host.StateHome.Local(dir),
        Variables.NONE,
        new ApplySettings(Duration.ZERO, Duration.ZERO),
        RetryPolicy.DEFAULT,
        new FileLock(dir.resolve("front-door.lock")),
        Cancellation.none(),
        ExecutionListener.NONE);
  }

  @Test
  void execute_independentEnvironments_rollOutAtTheSameTime() throws Exception {
    var spec = SpecValidator.standard()
        .validate(SPEC.getBytes(StandardCharsets.UTF_8), "p.yml")
        .spec()
        .orElseThrow();
    var desired = new Expander(Variables.NONE).expand(spec, Selection.ALL);
    var plan = Differ.diff(desired, ObservedState.EMPTY, DiffOptions.DEFAULT);
    var runtime = new MeetingRuntime();
    var ctx =
        context(spec, desired, ObservedState.EMPTY, java.util.List.of(new Networks()), runtime);

    var results = new Executor(ctx).execute(plan);

    assertThat(results)
        .extracting(Executor.EnvironmentResult::environment)
        .containsExactly("alpha/production", "beta/production");
    assertThat(results).allMatch(r -> r instanceof Executor.EnvironmentResult.Applied);
  }

  /** A project taken out of the spec: its site is deleted, and a deleted site has no snippet. */
  @Test
  void preflight_ofASiteBeingDeleted_findsNothingToObjectTo() throws Exception {
    var spec = SpecValidator.standard()
        .validate(SPEC.getBytes(StandardCharsets.UTF_8), "p.yml")
        .spec()
        .orElseThrow();
    var desired = new Expander(Variables.NONE).expand(spec, Selection.ALL);
    var gone = ResourceId.site("gone", "production");
    var observed = ObservedState.of(
        java.util.List.of(new dev.reconcile.observed.ObservedSite(
            gone,
            "sites/gone.production.conf",
            "spec-hash",
            Optional.empty(),
            Map.of(),
            "content-hash",
            false,
            Optional.empty(),
            dev.reconcile.observed.Serving.UNKNOWN,
            false,
            Optional.empty())),
        java.util.List.of(),
        java.util.List.of());
    var plan = Differ.diff(desired, observed, DiffOptions.DEFAULT);
    assertThat(plan.changes())
        .anyMatch(c -> c.id().equals(gone) && c.action() == dev.reconcile.plan.Action.DELETE);
    var ctx =
        context(spec, desired, observed, java.util.List.of(new Networks()), new MeetingRuntime());

    assertThat(new Executor(ctx).preflight(plan)).noneMatch(p -> p.contains("nginx_snippet"));
  }

  /** Refuses every container removal, as an engine would that cannot remove one. */
  private static final class RefusingRemovals implements dev.reconcile.provider.Provider {
    @Override
    public String name() {
      return "refusing";
    }

    @Override
    public Set<dev.reconcile.resource.ResourceKind> kinds() {
      return Set.of(dev.reconcile.resource.ResourceKind.CONTAINER);
    }

    @Override
    public boolean serves(dev.reconcile.provider.ObserveTarget target) {
      return true;
    }

    @Override
    public dev.reconcile.provider.ObservedBatch observe(
        dev.reconcile.provider.ObserveRequest request) {
      return new dev.reconcile.provider.ObservedBatch(
          java.util.List.of(), java.util.List.of(), java.util.List.of());
    }

    @Override
    public Outcome apply(dev.reconcile.provider.ApplyRequest request)
        throws dev.reconcile.provider.ProviderException {
      throw new dev.reconcile.provider.ProviderException.Terminal(
          "host local", "removing container gone-web-production-blue failed", "", null);
    }
  }

  /** Past the point of no return nothing is rolled back, and the failure says so. */
  @Test
  void execute_removalThatFails_isAFailurePastThePointOfNoReturn() throws Exception {
    var spec = SpecValidator.standard()
        .validate(SPEC.getBytes(StandardCharsets.UTF_8), "p.yml")
        .spec()
        .orElseThrow();
    var desired = new Expander(Variables.NONE).expand(spec, Selection.ALL);
    var gone = ResourceId.container("gone", "production", "web");
    var observed = ObservedState.of(
        java.util.List.of(new dev.reconcile.observed.ObservedContainer(
            gone,
            "local",
            "id-gone",
            "gone-web-production-blue",
            "blue",
            "example/web:1",
            "sha256:1",
            "running",
            Optional.empty(),
            java.util.OptionalInt.empty(),
            "hash",
            Optional.empty(),
            java.util.List.of("reconcile-egress"))),
        java.util.List.of(),
        java.util.List.of());
    var removal = Differ.diff(desired, observed, DiffOptions.DEFAULT)
        .without(Set.of("alpha/production", "beta/production"));
    var ctx = context(
        spec,
        desired,
        observed,
        java.util.List.of(new Networks(), new RefusingRemovals()),
        new MeetingRuntime());

    var results = new Executor(ctx).execute(removal);

    var failed = (Executor.EnvironmentResult.Failed) results.getFirst();
    assertThat(failed.environment()).isEqualTo("gone/production");
    assertThat(failed.host()).as("where its remains were found").isEqualTo("local");
    assertThat(failed.failure().getMessage()).contains("removing container");
    assertThat(failed.failure().undo().committed()).isTrue();
    assertThat(failed.failure().undo().undone()).isEmpty();
  }

  /** Runs what it is asked to and records it; new containers exit at once. */
  private static final class FailingRuntime extends MeetingRuntime {
    final java.util.List<String> calls = new java.util.ArrayList<>();

    @Override
    public RunningSlot start(HostSpec host, SlotLaunch launch) {
      var name = launch.container().id().project() + "-db-production-" + launch.slot();
      calls.add("start " + name);
      return new RunningSlot(
          launch.container().id(), "id-" + name, name, launch.slot(), launch.hostPort());
    }

    @Override
    public String health(HostSpec host, String containerId) {
      return "exited";
    }

    @Override
    public Outcome remove(HostSpec host, ResourceId id, String container) {
      calls.add("remove " + container);
      return new Outcome.Deleted(id, "container " + container);
    }

    @Override
    public Outcome stop(HostSpec host, ResourceId id, String container) {
      calls.add("stop " + container);
      return new Outcome.Updated(id, "container " + container + " stopped");
    }

    @Override
    public Outcome startAgain(HostSpec host, ResourceId id, String container) {
      calls.add("start again " + container);
      return new Outcome.Updated(id, "container " + container + " started again");
    }
  }

  @Test
  void execute_recreateWhoseNewContainerFails_startsTheOldOneAgainAndSaysTrafficWasInterrupted()
      throws Exception {
    var spec = SpecValidator.standard()
        .validate("""
        version: 1
        projects:
          alpha:
            domains: { production: alpha.test }
            containers: { db: { image: "example/db:2", update: recreate } }
        """.getBytes(StandardCharsets.UTF_8), "p.yml")
        .spec()
        .orElseThrow();
    var desired = new Expander(Variables.NONE).expand(spec, Selection.ALL);
    var id = ResourceId.container("alpha", "production", "db");
    var observed = ObservedState.of(
        java.util.List.of(new dev.reconcile.observed.ObservedContainer(
            id,
            "local",
            "id-old",
            "alpha-db-production-blue",
            "blue",
            "example/db:1",
            "sha256:1",
            "running",
            Optional.empty(),
            java.util.OptionalInt.empty(),
            "old-hash",
            Optional.empty(),
            java.util.List.of("reconcile-egress"))),
        java.util.List.of(),
        java.util.List.of());
    var plan = Differ.diff(desired, observed, DiffOptions.DEFAULT);
    var runtime = new FailingRuntime();
    var ctx = context(spec, desired, observed, java.util.List.of(new Networks()), runtime);

    var results = new Executor(ctx).execute(plan);

    var failed = (Executor.EnvironmentResult.Failed) results.getFirst();
    assertThat(failed.failure().step()).isEqualTo("health");
    assertThat(runtime.calls)
        .containsExactly(
            "stop alpha-db-production-blue",
            "start alpha-db-production-green",
            "start again alpha-db-production-blue",
            "remove alpha-db-production-green");
    assertThat(failed.failure().undo().interrupted()).isTrue();
    assertThat(failed.failure().undo().complete()).isTrue();
    assertThat(failed.failure().undo().undone())
        .containsExactly(
            "container alpha-db-production-blue started again",
            "removed container alpha-db-production-green");
  }

  @Test
  @org.junit.jupiter.api.Timeout(10)
  void cancellation_duringAWait_endsItAtOnceAsAnInterruptedStep() throws Exception {
    var cancellation = new Cancellation();
    var id = ResourceId.container("alpha", "production", "db");
    Thread.ofPlatform().start(() -> cancellation.cancel("stopped by SIGTERM"));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> cancellation.sleep(id, Duration.ofHours(1)))
        .isInstanceOf(StepFailed.class)
        .hasMessage("stopped by SIGTERM")
        .extracting(e -> ((StepFailed) e).step())
        .isEqualTo("interrupted");
  }
}
