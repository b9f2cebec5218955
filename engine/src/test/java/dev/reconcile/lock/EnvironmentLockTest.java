package dev.reconcile.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OS lock of an environment, asked again from the same JVM: a POSIX record lock is released
 * when any descriptor of its file is closed, so a second look from this JVM must never open it.
 * Whether the lock still holds is asked of another process, as another apply would.
 */
class EnvironmentLockTest {
  @TempDir
  Path dir;

  /** Whether a separate JVM can take the OS lock of the file now (it releases it at once). */
  private boolean anotherProcessCanLock(Path file) throws Exception {
    var probe = dir.resolve("Probe.java");
    Files.writeString(probe, """
        import java.nio.channels.FileChannel;
        import java.nio.file.*;
        public class Probe {
          public static void main(String[] a) throws Exception {
            try (var c = FileChannel.open(Path.of(a[0]), StandardOpenOption.WRITE)) {
              System.exit(c.tryLock() == null ? 3 : 0);
            }
          }
        }
        """);
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var process =
        new ProcessBuilder(java, probe.toString(), file.toString()).inheritIO().start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return process.exitValue() == 0;
  }

  @Test
  void askingAgainFromTheSameJvm_namesTheHolder_andKeepsTheLock() throws Exception {
    var first = (EnvironmentLock.Attempt.Acquired)
        EnvironmentLock.acquire(dir, "shop/production", Clock.systemUTC(), "rollback");
    var file = EnvironmentLock.fileFor(dir, "shop/production");

    var second = EnvironmentLock.acquire(dir, "shop/production", Clock.systemUTC(), "apply");
    assertThat(second).isInstanceOf(EnvironmentLock.Attempt.Held.class);
    assertThat(((EnvironmentLock.Attempt.Held) second).holder().orElseThrow().describe())
        .contains("running reconcile rollback")
        .contains("pid " + ProcessHandle.current().pid());
    assertThat(EnvironmentLock.isHeld(dir, "shop/production")).isTrue();
    assertThat(EnvironmentLock.release(dir, "shop/production"))
        .isInstanceOf(EnvironmentLock.Release.InUse.class);
    assertThat(anotherProcessCanLock(file))
        .as("still held after being asked three times")
        .isFalse();

    first.lock().close();
    assertThat(EnvironmentLock.isHeld(dir, "shop/production")).isFalse();
    assertThat(anotherProcessCanLock(file)).isTrue();
    assertThat(EnvironmentLock.acquire(dir, "shop/production", Clock.systemUTC(), "apply"))
        .isInstanceOf(EnvironmentLock.Attempt.Acquired.class);
  }

  @Test
  void aHolderWrittenByAnEarlierVersion_hasNoCommand() throws Exception {
    var file = EnvironmentLock.fileFor(dir, "shop/production");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "{\"user\":\"alice\",\"host\":\"laptop\",\"pid\":42,\"started\":\"s\",\"heartbeat\":\"h\"}");

    var acquired = (EnvironmentLock.Attempt.Acquired)
        EnvironmentLock.acquire(dir, "shop/production", Clock.systemUTC(), "apply");
    try (var lock = acquired.lock()) {
      assertThat(acquired.tookOver().orElseThrow().describe())
          .isEqualTo("alice@laptop (pid 42, since s, last heartbeat h)");
    }
  }
}
