package dev.reconcile.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.engine.Hosts;
import dev.reconcile.host.StateHome;
import dev.reconcile.testing.TestSshd;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server's front door lock is held on the server, so that two machines applying to one server
 * change its nginx one at a time; it ends with the connection that holds it. The "server" is this
 * machine, so flock(1) here sees the same lock.
 */
class FrontDoorLockOverSshIT {
  @RegisterExtension
  static final TestSshd sshd = TestSshd.perClass();

  @TempDir
  Path dir;

  private StateHome.HostRef server(Hosts hosts) {
    var spec = sshd.host("web-1");
    return () -> {
      try {
        return hosts.get(spec, dir);
      } catch (dev.reconcile.provider.ProviderException e) {
        throw new java.io.IOException(e.getMessage(), e);
      }
    };
  }

  /** Whether another process holds the lock now: flock -n on this machine, where the file is. */
  private boolean heldHere(Path file) throws Exception {
    var flock = new ProcessBuilder("flock", "-n", "-E", "75", file.toString(), "true").start();
    assertThat(flock.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return flock.exitValue() == 75;
  }

  @Test
  void aServersDoorLock_isHeldThere_takesTurns_andEndsWithItsConnection() throws Exception {
    var file = dir.resolve("state/locks/front-door.lock");
    try (var first = Hosts.discover();
        var second = Hosts.discover()) {
      // Two machines: names of their own, so this process's in-memory lock does not order them.
      var a = FileLock.onServer("web-1 as seen by a", server(first), file);
      var b = FileLock.onServer("web-1 as seen by b", server(second), file);

      var held = a.hold();
      assertThat(heldHere(file)).as("held on the server").isTrue();
      // b holds and frees it on a thread of its own, as a rollout does.
      var bHolds = new CompletableFuture<Void>();
      var bFrees = new CompletableFuture<Void>();
      var bThread = Thread.ofPlatform().start(() -> {
        try (var h = b.hold()) {
          bHolds.complete(null);
          bFrees.join();
        }
      });
      // b's flock is running on the server while a holds the lock: it can only be waiting.
      var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (new ProcessBuilder("pgrep", "-f", "flock -w .* " + file).start().waitFor() != 0) {
        assertThat(System.nanoTime()).as("b asked for the lock").isLessThan(deadline);
        Thread.sleep(20);
      }
      assertThat(bHolds).as("b waits while a holds it").isNotDone();
      held.close();
      bHolds.get(30, TimeUnit.SECONDS);
      assertThat(heldHere(file)).as("b holds it now").isTrue();

      // b's connection ends without a word (its run died): the lock goes with it.
      second.close();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (heldHere(file)) {
        assertThat(System.nanoTime()).as("freed when the connection ended").isLessThan(deadline);
        Thread.sleep(50);
      }
      bFrees.complete(null); // b frees it after the drop: nothing to free, and no error
      bThread.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(bThread.isAlive()).isFalse();
      try (var again = a.hold()) {
        assertThat(heldHere(file)).isTrue();
      }
      assertThat(heldHere(file)).isFalse();
    }
  }
}
