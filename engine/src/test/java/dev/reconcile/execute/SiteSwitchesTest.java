package dev.reconcile.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Site switches of one front door in batches: one reload for the sites queued together. */
class SiteSwitchesTest {
  @TempDir
  Path state;

  /** nginx as far as switches go: refuses texts holding "bad"; the first reload waits for a gate. */
  private static final class Nginx extends QuietSites {
    final List<String> installed = new CopyOnWriteArrayList<>();
    final AtomicInteger reloads = new AtomicInteger();
    final CountDownLatch firstReloadMayEnd = new CountDownLatch(1);
    final CountDownLatch firstReloadStarted = new CountDownLatch(1);
    volatile boolean reloadFails;

    @Override
    public String render(
        dev.reconcile.provider.FrontDoor door, DesiredSite site, Map<String, String> upstreams) {
      throw new UnsupportedOperationException();
    }

    final AtomicInteger aloneChecks = new AtomicInteger();
    final AtomicInteger togetherChecks = new AtomicInteger();

    @Override
    public Verdict check(FrontDoor door, ResourceId site, String text) {
      aloneChecks.incrementAndGet();
      return text.contains("bad")
          ? new Verdict.Rejected("unknown directive \"bad\"")
          : new Verdict.Accepted();
    }

    /** As nginx -t of them all: a bad one fails it, and so do two that clash (same server_name). */
    @Override
    public Verdict checkTogether(FrontDoor door, Map<ResourceId, String> sites) {
      togetherChecks.incrementAndGet();
      if (sites.values().stream().anyMatch(t -> t.contains("bad"))) {
        return new Verdict.Rejected("unknown directive \"bad\"");
      }
      return sites.values().stream().filter(t -> t.contains("clash")).count() > 1
          ? new Verdict.Rejected("conflicting server name \"clash.test\"")
          : new Verdict.Accepted();
    }

    @Override
    public void install(FrontDoor door, ResourceId site, String text) {
      installed.add(site.toString());
    }

    @Override
    public Outcome uninstall(FrontDoor door, ResourceId site) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void reload(FrontDoor door) throws ProviderException {
      if (reloads.incrementAndGet() == 1) {
        firstReloadStarted.countDown();
        try {
          firstReloadMayEnd.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (reloadFails) {
        throw new ProviderException.Terminal(
            "nginx", "reload failed: nginx is not running", "", null);
      }
    }
  }

  private SiteSwitches switches(Nginx nginx, String name) throws Exception {
    var door = new FrontDoor(
        dev.reconcile.engine.Hosts.discover().thisMachine(),
        NginxSettings.Managed.DEFAULT,
        state.resolve(name),
        state.resolve(name).resolve("sites"));
    return new SiteSwitches(
        door,
        new FileLock(state.resolve(name + "-door.lock")),
        nginx,
        new RetryPolicy(1, Duration.ZERO, d -> {}));
  }

  @Test
  void sitesQueuedWhileAReloadRuns_areSwitchedTogether_byOneMoreReload() throws Exception {
    var nginx = new Nginx();
    var first = new ArrayList<SiteSwitches.Result>();
    var leader = Thread.ofPlatform().start(() -> {
      try {
        first.add(switches(nginx, "a").switchTo(ResourceId.site("p0", "production"), "good"));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    nginx.firstReloadStarted.await();
    var results = new CopyOnWriteArrayList<SiteSwitches.Result>();
    var others = new ArrayList<Thread>();
    for (int i = 1; i <= 5; i++) {
      var project = "p" + i;
      var text = i == 3 ? "bad" : "good";
      others.add(Thread.ofPlatform().start(() -> {
        try {
          results.add(switches(nginx, "a").switchTo(ResourceId.site(project, "production"), text));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }));
    }
    // Every other switch is queued behind the running reload before it ends.
    var queue = switches(nginx, "a");
    while (queue.queued() < 5) {
      Thread.onSpinWait();
    }
    nginx.firstReloadMayEnd.countDown();
    leader.join();
    for (var t : others) {
      t.join();
    }

    assertThat(first).containsExactly(new SiteSwitches.Result.Switched(1, true));
    assertThat(nginx.reloads.get())
        .as("one reload for the first, one for the five queued")
        .isEqualTo(2);
    assertThat(results)
        .filteredOn(r -> r instanceof SiteSwitches.Result.Switched)
        .hasSize(4);
    assertThat(results)
        .filteredOn(r -> r instanceof SiteSwitches.Result.Rejected)
        .singleElement()
        .asString()
        .contains("unknown directive");
    assertThat(nginx.installed).hasSize(5).doesNotContain("site:p3/production");
  }

  @Test
  void aReloadThatFails_failsEverySiteOfItsBatch_asInstalled() throws Exception {
    var nginx = new Nginx();
    nginx.firstReloadMayEnd.countDown();
    nginx.reloadFails = true;

    var result = switches(nginx, "b").switchTo(ResourceId.site("p1", "production"), "good");

    assertThat(result).isInstanceOfSatisfying(SiteSwitches.Result.Failed.class, f -> {
      assertThat(f.installed()).as("a rollback must put the old site back").isTrue();
      assertThat(f.cause()).hasMessageContaining("reload failed");
    });
  }

  @Test
  void environmentsThatSwitchTogether_waitForEachOther_andCostOneReload() throws Exception {
    var nginx = new Nginx();
    nginx.firstReloadMayEnd.countDown();
    var cancellation = Cancellation.none();
    var together = SwitchTogether.of(6, cancellation);
    var results = new CopyOnWriteArrayList<SiteSwitches.Result>();
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < 5; i++) {
      var project = "p" + i;
      var party = together.party();
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          var switches = switches(nginx, "c");
          var queued = switches.queue(ResourceId.site(project, "production"), "good");
          party.arriveAndWait(ResourceId.site(project, "production"), cancellation, left -> {});
          results.add(switches.await(queued));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }));
    }
    // Nobody switches while one environment has neither queued nor left.
    var queue = switches(nginx, "c");
    while (queue.queued() < 5) {
      Thread.onSpinWait();
    }
    assertThat(nginx.reloads.get()).isZero();
    together.party().leave(); // the sixth failed before its switch

    for (var t : threads) {
      t.join();
    }
    assertThat(results).hasSize(5).containsOnly(new SiteSwitches.Result.Switched(5, true));
    assertThat(nginx.reloads.get()).as("one reload for all five").isEqualTo(1);
  }

  @Test
  void aCancellation_releasesTheWaiting_whoWithdrawTheirSites() throws Exception {
    var nginx = new Nginx();
    nginx.firstReloadMayEnd.countDown();
    var cancellation = Cancellation.none();
    var together = SwitchTogether.of(2, cancellation);
    var party = together.party();
    var switches = switches(nginx, "d");
    var site = ResourceId.site("p1", "production");
    var queued = switches.queue(site, "good");
    var failure = new java.util.concurrent.CompletableFuture<Throwable>();
    var waiter = Thread.ofPlatform().start(() -> {
      try {
        party.arriveAndWait(site, cancellation, left -> {});
        failure.complete(null);
      } catch (Throwable e) {
        failure.complete(e);
      }
    });
    cancellation.cancel("SIGTERM");
    waiter.join();

    assertThat(failure.get()).isInstanceOf(StepFailed.class).hasMessageContaining("SIGTERM");
    assertThat(switches.withdraw(queued)).as("nothing switched it meanwhile").isTrue();
    assertThat(switches.queued()).isZero();
    assertThat(nginx.reloads.get()).isZero();
  }

  @Test
  void aBatchThatPassesTogether_isJudgedOnce_andOfTwoThatClash_oneIsLeftOut() throws Exception {
    var nginx = new Nginx();
    nginx.firstReloadMayEnd.countDown();
    var cancellation = Cancellation.none();

    var good = switchTogether(nginx, "e", cancellation, List.of("good", "good", "good"));
    assertThat(good).containsOnly(new SiteSwitches.Result.Switched(3, true));
    assertThat(nginx.togetherChecks.get()).as("one nginx -t for the three").isEqualTo(1);
    assertThat(nginx.aloneChecks.get()).isZero();

    var clashing =
        switchTogether(nginx, "f", cancellation, List.of("clash one", "good", "clash two"));
    assertThat(clashing)
        .filteredOn(r -> r instanceof SiteSwitches.Result.Switched)
        .hasSize(2)
        .containsOnly(new SiteSwitches.Result.Switched(2, true));
    assertThat(clashing)
        .filteredOn(r -> r instanceof SiteSwitches.Result.Rejected)
        .singleElement()
        .asString()
        .contains("with the other sites switched by this apply", "conflicting server name");
    assertThat(nginx.reloads.get()).isEqualTo(2);
  }

  /** Sites p0.. switched by environments that wait for each other; their results in order. */
  private List<SiteSwitches.Result> switchTogether(
      Nginx nginx, String door, Cancellation cancellation, List<String> texts) throws Exception {
    var together = SwitchTogether.of(texts.size(), cancellation);
    var results = new SiteSwitches.Result[texts.size()];
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < texts.size(); i++) {
      var index = i;
      var party = together.party();
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          var site = ResourceId.site("p" + index, "production");
          var switches = switches(nginx, door);
          var queued = switches.queue(site, texts.get(index));
          party.arriveAndWait(site, cancellation, left -> {});
          results[index] = switches.await(queued);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }));
    }
    for (var t : threads) {
      t.join();
    }
    return List.of(results);
  }
}
