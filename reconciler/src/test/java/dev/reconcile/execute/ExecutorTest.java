package dev.reconcile.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Differ;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.spec.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The executor's orchestration, with an in-memory runtime: independent environments roll out
 * at the same time. (Real containers and nginx are exercised by ApplyIT.)
 */
class ExecutorTest {
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
  private static final class MeetingRuntime implements ContainerRuntime {
    final CountDownLatch bothStarting = new CountDownLatch(2);

    @Override
    public boolean runs(HostSpec host) {
      return true;
    }

    @Override
    public Outcome ensureVolume(HostSpec host, ResourceId volume, String owner) {
      return new Outcome.Created(volume, "volume");
    }

    @Override
    public Outcome removeVolume(HostSpec host, ResourceId volume) {
      return new Outcome.Deleted(volume, "volume");
    }

    @Override
    public RunningSlot start(HostSpec host, SlotLaunch launch) {
      bothStarting.countDown();
      try {
        if (!bothStarting.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException(launch.container().id() + " started alone: no parallelism");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new RunningSlot(launch.container().id(), "id-" + launch.container().id().project(),
          launch.container().id().project() + "-worker", launch.slot(), launch.hostPort());
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
    public void pull(HostSpec host, String image, Optional<Login> login, java.time.Duration limit,
        java.util.function.Consumer<String> progress) {
      throw new AssertionError("no pull expected");
    }

    @Override
    public Set<Integer> publishedPorts(HostSpec host) {
      return Set.of();
    }
  }

  /** No site is involved (the containers are not routed); any call would be a bug. */
  private static final class NoSites implements SiteControl {
    @Override
    public boolean controls(NginxSettings nginx) {
      return true;
    }

    @Override
    public String render(DesiredSite site, Map<String, String> upstreams) {
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
    public Optional<String> installed(FrontDoor door, ResourceId site) {
      return Optional.empty();
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

    @Override
    public Verdict checkInstalled(FrontDoor door) {
      return new Verdict.Accepted();
    }

    @Override
    public Optional<Long> runningPid(FrontDoor door) {
      return Optional.empty();
    }

    @Override
    public boolean stop(FrontDoor door) {
      return false;
    }
  }

  @Test
  void execute_independentEnvironments_rollOutAtTheSameTime() throws Exception {
    var spec = SpecValidator.standard().validate(SPEC.getBytes(StandardCharsets.UTF_8), "p.yml").spec()
        .orElseThrow();
    var desired = new Expander(Variables.NONE).expand(spec, Selection.ALL);
    var plan = Differ.diff(desired, ObservedState.EMPTY, DiffOptions.DEFAULT);
    var runtime = new MeetingRuntime();
    var ctx = new RolloutContext(spec, desired, ObservedState.EMPTY, runtime, new NoSites(),
        new SiteControl.FrontDoor(spec.platform().nginx(), Path.of("/nonexistent"), Path.of("/nonexistent")),
        "owner", Variables.NONE, new ApplySettings(Duration.ZERO, Duration.ZERO), RetryPolicy.DEFAULT,
        new ReentrantLock(), ExecutionListener.NONE);

    var results = new Executor(ctx).execute(plan);

    assertThat(results).extracting(Executor.EnvironmentResult::environment)
        .containsExactly("alpha/production", "beta/production");
    assertThat(results).allMatch(r -> r instanceof Executor.EnvironmentResult.Applied);
  }
}
