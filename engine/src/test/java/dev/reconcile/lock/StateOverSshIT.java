package dev.reconcile.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.engine.Hosts;
import dev.reconcile.host.StateHome;
import dev.reconcile.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's state on a server, through a real sshd: its files, and environment locks held by
 * {@code flock} over a connection, which end with the connection that holds them.
 */
class StateOverSshIT {
  @RegisterExtension
  static final TestSshd sshd = TestSshd.perClass();

  @TempDir
  Path dir;

  private StateHome.Remote home(Hosts hosts) {
    var spec = sshd.host("web-1");
    return new StateHome.Remote(
        "web-1",
        () -> {
          try {
            return hosts.get(spec, dir);
          } catch (dev.reconcile.provider.ProviderException e) {
            throw new java.io.IOException(e.getMessage(), e);
          }
        },
        dir.resolve("state"));
  }

  @Test
  void aLock_isHeldOnTheServer_untilItsHolderClosesItOrItsConnectionEnds() throws Exception {
    try (var first = Hosts.discover();
        var second = Hosts.discover()) {
      var a = home(first);
      var b = home(second);
      var taken = (EnvironmentLock.Attempt.Acquired)
          EnvironmentLock.acquire(a, "shop/production", Clock.systemUTC(), "apply");
      assertThat(taken.tookOver()).isEmpty();

      var refused = EnvironmentLock.acquire(b, "shop/production", Clock.systemUTC(), "apply");
      assertThat(refused).isInstanceOf(EnvironmentLock.Attempt.Held.class);
      var held = (EnvironmentLock.Attempt.Held) refused;
      assertThat(held.holder().orElseThrow().describe()).contains("running reconcile apply");
      assertThat(held.where()).endsWith("shop.production.lock on web-1");
      assertThat(EnvironmentLock.isHeld(b, "shop/production")).isTrue();
      assertThat(EnvironmentLock.release(b, "shop/production"))
          .isInstanceOf(EnvironmentLock.Release.InUse.class);
      assertThat(EnvironmentLock.acquire(b, "shop/staging", Clock.systemUTC(), "apply"))
          .as("another environment's lock is its own")
          .isInstanceOf(EnvironmentLock.Attempt.Acquired.class);

      taken.lock().close();
      assertThat(EnvironmentLock.isHeld(b, "shop/production"))
          .as("free once closed")
          .isFalse();
      var again = (EnvironmentLock.Attempt.Acquired)
          EnvironmentLock.acquire(b, "shop/production", Clock.systemUTC(), "rollback");
      assertThat(again.tookOver()).as("a released lock names no stale holder").isEmpty();

      // The holder's connection ends without a word (the process died): the lock goes with it.
      second.close();
      var afterDrop = (EnvironmentLock.Attempt.Acquired)
          EnvironmentLock.acquire(a, "shop/production", Clock.systemUTC(), "apply");
      assertThat(afterDrop.tookOver())
          .as("the holder the dead run left is named")
          .isPresent();
      afterDrop.lock().close();
    }
  }

  @Test
  void files_areWrittenWhole_createdOnce_listedAndAppended() throws Exception {
    try (var hosts = Hosts.discover()) {
      var home = home(hosts);
      var owner = home.dir().resolve("owner");
      assertThat(home.read(owner)).isEmpty();
      assertThat(home.createIfAbsent(owner, "first\n", false)).isTrue();
      assertThat(home.createIfAbsent(owner, "second\n", false))
          .as("exactly one creator wins")
          .isFalse();
      assertThat(home.read(owner)).contains("first\n");
      assertThat(home.createIfAbsent(home.dir().resolve("secret.key"), "k\n", true))
          .isTrue();
      assertThat(Files.getPosixFilePermissions(home.dir().resolve("secret.key")))
          .containsExactlyInAnyOrder(
              java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
      assertThat(home.list(home.dir())).containsExactly("owner", "secret.key");

      home.write(home.dir().resolve("history/shop.production/000001.json"), "{}");
      assertThat(home.list(home.dir().resolve("history/shop.production")))
          .containsExactly("000001.json");
      assertThat(home.delete(home.dir().resolve("history/shop.production/000001.json")))
          .isTrue();
      assertThat(home.delete(home.dir().resolve("history/shop.production/000001.json")))
          .isFalse();

      var log = home.dir().resolve("audit.log");
      for (int i = 0; i < 5; i++) {
        home.append(log, "line " + i, 14, 2);
      }
      // 7 bytes a line, rotated at 14: the newest line alone, the two before in .1, two more in .2.
      assertThat(Files.readString(log)).isEqualTo("line 4\n");
      assertThat(Files.readString(StateHome.rotated(log, 1))).isEqualTo("line 2\nline 3\n");
      assertThat(Files.readString(StateHome.rotated(log, 2))).isEqualTo("line 0\nline 1\n");
    }
  }
}
