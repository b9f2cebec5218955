package dev.reconcile.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.audit.Events;
import dev.reconcile.deploy.DeploymentListener;
import dev.reconcile.engine.Hosts;
import dev.reconcile.engine.ObservedStateCollector;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.execute.ApplySettings;
import dev.reconcile.provider.ApplyRequest;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.ObservedBatch;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceKind;
import dev.reconcile.testing.ManualClock;
import dev.reconcile.validate.SpecValidator;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller where its logic lives: a fake engine that can fail, hang or break, a clock the
 * test moves, and the real work queue, backoff and drift detection. What `watch` shows in
 * /status and /healthz follows from these.
 */
class ControllerTest {
  @TempDir
  Path dir;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final FakeEngine engine = new FakeEngine();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private Controller controller;

  /** An engine with nothing running, that can be told to fail, to break, or to hang. */
  private static final class FakeEngine implements Provider {
    volatile Exception failure;
    volatile RuntimeException bug;
    volatile CountDownLatch hang;
    final CountDownLatch hanging = new CountDownLatch(1);

    @Override
    public String name() {
      return "fake engine";
    }

    @Override
    public java.util.Set<ResourceKind> kinds() {
      return java.util.Set.of(ResourceKind.values());
    }

    @Override
    public boolean serves(ObserveTarget target) {
      return true;
    }

    @Override
    public ObservedBatch observe(ObserveRequest request) throws ProviderException {
      var waitFor = hang;
      if (waitFor != null) {
        hanging.countDown();
        try {
          waitFor.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (bug != null) {
        throw bug;
      }
      if (failure instanceof ProviderException e) {
        throw e;
      }
      return new ObservedBatch(List.of(), List.of(), List.of());
    }

    @Override
    public Outcome apply(ApplyRequest request) {
      throw request.notApplied(this, "the fake engine only observes");
    }
  }

  private Controller start() throws Exception {
    var spec = dir.resolve("projects.yml");
    Files.writeString(spec, """
        version: 1
        projects:
          shop:
            domains: { production: shop.test }
            containers:
              web: { image: "example/shop:1", port: 8080, health: { path: /health } }
          blog:
            domains: { production: blog.test }
            containers:
              web: { image: "example/blog:1", port: 8080, health: { path: /health } }
        """);
    var reconciliation = new Reconciliation(
        SpecValidator.standard(),
        new ObservedStateCollector(List.of(engine), Hosts.discover()),
        Map.of());
    var listener = (DeploymentListener) Proxy.newProxyInstance(
        getClass().getClassLoader(),
        new Class<?>[] {DeploymentListener.class},
        (proxy, method, args) -> null);
    controller = new Controller(
        reconciliation,
        spec,
        "projects.yml",
        Controller.Mode.REPORT,
        Duration.ofHours(1),
        Events.NONE,
        new WatchMetrics(),
        clock,
        Map.of(),
        new ApplySettings(Duration.ZERO, Duration.ZERO),
        listener,
        log::add);
    controller.start();
    return controller;
  }

  @AfterEach
  void stop() {
    var hang = engine.hang;
    if (hang != null) {
      hang.countDown();
    }
    if (controller != null) {
      controller.close();
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private KeyStatus status(String key) {
    return controller.status().stream()
        .filter(s -> s.key().equals(key))
        .findFirst()
        .orElse(null);
  }

  private boolean state(String key, String state) {
    var s = status(key);
    return s != null && s.state().equals(state);
  }

  @Test
  void anEngineThatFails_backsEachEnvironmentOff_andOneThatRecovers_isComparedAgain()
      throws Exception {
    engine.failure = new ProviderException.Transient("engine", "connection refused", "", null);
    start();

    // The pass over every environment fails, so each is tried alone, and each backs off.
    await(
        "both failing",
        () -> state("shop/production", "failing") && state("blog/production", "failing"));
    assertThat(status("shop/production").failures()).isEqualTo(1);
    assertThat(status("shop/production").error().orElseThrow()).contains("connection refused");
    assertThat(log)
        .anyMatch(l ->
            l.contains("every environment at once") && l.contains("trying each environment alone"));
    assertThat(log)
        .anyMatch(l -> l.startsWith("shop/production: ") && l.endsWith("trying again in 1 s"));
    assertThat(controller.queue().held("shop/production"))
        .as("backing off, by the controller's clock")
        .isTrue();
    assertThat(controller.unhealthy())
        .as("a failing engine is not a failing controller")
        .isEmpty();

    // Still failing when the wait is over: the next wait is twice as long.
    clock.advance(Duration.ofMillis(1100));
    await("failed twice", () -> status("shop/production").failures() == 2);
    assertThat(log)
        .anyMatch(l -> l.startsWith("shop/production: ") && l.endsWith("trying again in 2 s"));

    // The engine is back: once the wait is over, each is compared again and its backoff forgotten.
    engine.failure = null;
    clock.advance(Duration.ofSeconds(3));
    await(
        "compared again",
        () -> !state("shop/production", "failing") && !state("blog/production", "failing"));
    assertThat(status("shop/production").failures()).isZero();
    assertThat(status("shop/production").error()).isEmpty();
    assertThat(controller.queue().held("shop/production")).isFalse();
  }

  @Test
  void aBugInOneRun_isThatKeysFailure_andTheWorkerGoesOn() throws Exception {
    engine.bug = new IllegalStateException("a bug in the observation");
    start();

    await("failing", () -> state("shop/production", "failing"));
    assertThat(status("shop/production").error().orElseThrow())
        .contains("a bug in the observation");
    assertThat(controller.alive()).isTrue();
    assertThat(controller.unhealthy()).isEmpty();
    assertThat(controller.failure()).isEmpty();

    engine.bug = null;
    clock.advance(Duration.ofSeconds(2));
    await("compared again", () -> !state("shop/production", "failing"));
  }

  @Test
  void aWorkerStuckOnOneKey_makesTheControllerUnhealthy_untilItMovesOn() throws Exception {
    engine.hang = new CountDownLatch(1);
    start();
    controller.stuckAfter(Duration.ofMillis(100));

    assertThat(engine.hanging.await(30, TimeUnit.SECONDS)).isTrue();
    await("stuck", () -> controller.unhealthy().isPresent());
    assertThat(controller.unhealthy().orElseThrow())
        .contains("the worker has been on every environment for");

    engine.hang.countDown();
    await(
        "moved on",
        () -> status("shop/production") != null && controller.unhealthy().isEmpty());
  }
}
