package dev.reconcile.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Site switches of one front door in batches: one reload for the sites queued together. */
class SiteSwitchesTest {
  @TempDir Path state;

  /** nginx as far as switches go: refuses texts holding "bad"; the first reload waits for a gate. */
  private static final class Nginx implements SiteControl {
    final List<String> installed = new CopyOnWriteArrayList<>();
    final AtomicInteger reloads = new AtomicInteger();
    final CountDownLatch firstReloadMayEnd = new CountDownLatch(1);
    final CountDownLatch firstReloadStarted = new CountDownLatch(1);
    volatile boolean reloadFails;

    @Override
    public boolean controls(NginxSettings nginx) {
      return true;
    }

    @Override
    public boolean answersChallenges(dev.reconcile.provider.FrontDoor door, String text) {
      return true;
    }

    @Override
    public boolean overTls(String text) {
      return false;
    }

    @Override
    public Optional<String> revision(String text) {
      return Optional.empty();
    }

    @Override
    public String render(dev.reconcile.provider.FrontDoor door, DesiredSite site, Map<String, String> upstreams) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Verdict check(FrontDoor door, ResourceId site, String text) {
      return text.contains("bad") ? new Verdict.Rejected("unknown directive \"bad\"") : new Verdict.Accepted();
    }

    @Override
    public Optional<String> installed(FrontDoor door, ResourceId site) {
      return Optional.empty();
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
        throw new ProviderException.Terminal("nginx", "reload failed: nginx is not running", "", null);
      }
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

  private SiteSwitches switches(Nginx nginx, String name) throws Exception {
    var door = new FrontDoor(dev.reconcile.engine.Hosts.discover().thisMachine(), NginxSettings.Managed.DEFAULT,
        state.resolve(name), state.resolve(name).resolve("sites"));
    return new SiteSwitches(door, new FileLock(state.resolve(name + "-door.lock")), nginx,
        new RetryPolicy(1, Duration.ZERO, d -> { }));
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

    assertThat(first).containsExactly(new SiteSwitches.Result.Switched());
    assertThat(nginx.reloads.get()).as("one reload for the first, one for the five queued").isEqualTo(2);
    assertThat(results).filteredOn(r -> r instanceof SiteSwitches.Result.Switched).hasSize(4);
    assertThat(results).filteredOn(r -> r instanceof SiteSwitches.Result.Rejected).singleElement()
        .asString().contains("unknown directive");
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
}
