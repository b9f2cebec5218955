package dev.reconcile.providers.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.host.CommandLine;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.providers.host.LocalHost;
import dev.reconcile.testing.TestPorts;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the managed nginx's master leaves its workers holding the port and serving the old
 * configuration. The tool says so, and the next reload ends them (only them) and starts a master.
 */
class OrphanedWorkersIT {
  private final LocalHost host = new LocalHost("local");
  private final NginxSiteControl control = new NginxSiteControl();

  @TempDir
  Path ours;

  @TempDir
  Path others;

  private FrontDoor door;
  private FrontDoor other;

  private FrontDoor door(Path state) {
    return new FrontDoor(
        host,
        new NginxSettings.Managed("127.0.0.1", TestPorts.reserve()),
        state,
        state.resolve("sites"));
  }

  private static boolean answers(FrontDoor door) {
    var managed = (NginxSettings.Managed) door.nginx();
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress(managed.listenHost(), managed.listenPort()), 2000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private void kill9(long pid) throws Exception {
    assertThat(host.run(CommandLine.of("kill", "-KILL", Long.toString(pid)), Duration.ofSeconds(10))
            .exitCode())
        .isZero();
    var until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (control.runningPid(door).isPresent() && System.nanoTime() < until) {
      Thread.sleep(20);
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (var d : new FrontDoor[] {door, other}) {
      if (d != null) {
        control.stop(d);
        new ManagedNginx(host, d.stateDir(), (NginxSettings.Managed) d.nginx()).reapOrphans();
      }
    }
  }

  @Test
  void orphanedWorkersOfAKilledMaster_areFound_andEndedByTheNextReload_andNoOneElses()
      throws Exception {
    door = door(ours);
    other = door(others);
    control.reload(door);
    control.reload(other);
    assertThat(answers(door)).isTrue();

    kill9(control.runningPid(door).orElseThrow());
    var otherMaster = control.runningPid(other).orElseThrow();
    host.run(CommandLine.of("kill", "-KILL", Long.toString(otherMaster)), Duration.ofSeconds(10));

    assertThat(control.runningPid(door)).isEmpty();
    var orphans = control.orphanedWorkers(door);
    assertThat(orphans).as("the workers live on").isNotEmpty();
    assertThat(answers(door)).as("and still hold the port").isTrue();
    var othersOrphans = control.orphanedWorkers(other);
    assertThat(othersOrphans).isNotEmpty().doesNotContainAnyElementsOf(orphans);

    control.reload(door); // would fail with "Address already in use" while they hold the port

    assertThat(control.runningPid(door)).isPresent();
    assertThat(control.orphanedWorkers(door)).isEmpty();
    assertThat(answers(door)).isTrue();
    assertThat(control.orphanedWorkers(other))
        .as("another prefix's orphans are not ours to end")
        .containsExactlyElementsOf(othersOrphans);
  }
}
