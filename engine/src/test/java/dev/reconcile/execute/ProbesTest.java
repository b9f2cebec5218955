package dev.reconcile.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.Outcome;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Health waits on a fake clock: every interval and deadline counted, none waited for. */
@Timeout(10)
class ProbesTest {
  /** Time moves on only when a wait asks it to. */
  private static final class FakeWaits implements Waits {
    long now;
    final List<Duration> slept = new ArrayList<>();

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleep(ResourceId id, Duration duration) {
      slept.add(duration);
      now += duration.toNanos();
    }

    @Override
    public void pause(Duration duration) {
      now += duration.toNanos();
    }
  }

  /** Answers health with the given words, one per call, the last one for ever. */
  private record Health(ArrayDeque<String> answers) implements ContainerRuntime {
    @Override
    public String health(HostSpec host, String containerId) {
      return answers.size() > 1 ? answers.poll() : answers.peek();
    }

    @Override
    public boolean runs(HostSpec host) {
      return true;
    }

    @Override
    public RunningSlot start(HostSpec host, SlotLaunch launch) {
      throw new AssertionError();
    }

    @Override
    public Outcome remove(HostSpec host, ResourceId id, String container) {
      throw new AssertionError();
    }

    @Override
    public Outcome stop(HostSpec host, ResourceId id, String container) {
      throw new AssertionError();
    }

    @Override
    public Outcome startAgain(HostSpec host, ResourceId id, String container) {
      throw new AssertionError();
    }

    @Override
    public void pull(
        HostSpec host,
        String image,
        Optional<Login> login,
        Duration limit,
        Consumer<String> progress) {
      throw new AssertionError();
    }

    @Override
    public Set<Integer> publishedPorts(HostSpec host) {
      throw new AssertionError();
    }
  }

  private final DesiredContainer worker = new Expander(Variables.NONE)
      .expand(
          SpecValidator.standard()
              .validate("""
      version: 1
      projects:
        shop:
          domains: { production: shop.test }
          containers:
            worker: { image: "shop/worker:1", health: { interval: 5s, retries: 3 } }
      """.getBytes(StandardCharsets.UTF_8), "p.yml")
              .spec()
              .orElseThrow(),
          Selection.ALL)
      .all(DesiredContainer.class)
      .findFirst()
      .orElseThrow();
  private final ContainerRuntime.RunningSlot slot = new ContainerRuntime.RunningSlot(
      worker.id(), "c1", "shop-worker-production-blue", "blue", OptionalInt.empty());
  private final HostSpec host = new HostSpec.Docker("local", HostSpec.Docker.DEFAULT_ENDPOINT);
  private final FakeWaits waits = new FakeWaits();
  private final List<String> said = new ArrayList<>();

  private Probes probes(String... answers) {
    return new Probes(
        new Health(new ArrayDeque<>(List.of(answers))),
        (id, what) -> said.add(what),
        RetryPolicy.DEFAULT,
        waits);
  }

  @Test
  void awaitHealthy_healthyOnTheThirdLook_waitsShortThenLonger() throws Exception {
    probes("starting", "starting", "healthy").awaitHealthy(host, worker, slot, Optional.empty());

    assertThat(waits.slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(said).containsExactly("healthy after 0.3 s");
  }

  @Test
  void awaitHealthy_slowToStart_looksTwiceAsLateEachTime_thenEveryInterval() throws Exception {
    var answers = new ArrayList<String>(java.util.Collections.nCopies(8, "starting"));
    answers.add("healthy");
    probes(answers.toArray(String[]::new)).awaitHealthy(host, worker, slot, Optional.empty());

    assertThat(waits.slept)
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(800),
            Duration.ofMillis(1600),
            Duration.ofMillis(3200),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5));
    assertThat(said).containsExactly("healthy after 16.3 s");
  }

  @Test
  void awaitHealthy_neverHealthy_failsAfterIntervalTimesRetriesOfItsOwnTime() {
    assertThatThrownBy(() -> probes("starting").awaitHealthy(host, worker, slot, Optional.empty()))
        .isInstanceOf(StepFailed.class)
        .hasMessage(
            "shop-worker-production-blue did not become healthy within 15 s; last: docker says starting");
    // Looks until the window (interval x retries) has passed, however many that takes.
    assertThat(waits.slept).hasSize(8);
    assertThat(Duration.ofNanos(waits.now)).isEqualTo(Duration.ofMillis(16_300));
  }

  @Test
  void awaitHealthy_containerThatExits_failsAtOnceNamingItsLogs() {
    assertThatThrownBy(
            () -> probes("starting", "exited").awaitHealthy(host, worker, slot, Optional.empty()))
        .isInstanceOf(StepFailed.class)
        .hasMessage(
            "shop-worker-production-blue is exited (see: docker logs shop-worker-production-blue)");
    assertThat(waits.slept).containsExactly(Duration.ofMillis(100));
  }
}
