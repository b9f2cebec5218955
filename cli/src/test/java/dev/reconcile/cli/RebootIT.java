package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reboot does, on the real engine: the Docker engine restarts (every container stops with
 * it) and the managed nginx is gone. The containers come back with the engine; status, drift and
 * plan say nginx is down; the controller hears the engine again and heals.
 */
class RebootIT {
  @TempDir
  Path dir;

  private WebProject web;
  private WatchProcess watch;

  @AfterEach
  void cleanUp() throws Exception {
    if (watch != null) {
      watch.close();
    }
    if (web != null) {
      web.cleanUp();
    }
  }

  /** Every process of the managed nginx ends at once, as at a power cut. */
  static void loseNginx(WebProject web) throws Exception {
    var pid =
        Files.readString(web.dir.resolve(".reconcile/nginx/logs/nginx.pid")).strip();
    var workers = TestHosts.run("ps", "--ppid", pid, "-o", "pid=").strip();
    var all = new java.util.ArrayList<>(List.of("kill", "-KILL", pid));
    if (!workers.isEmpty()) {
      all.addAll(List.of(workers.split("\\s+")));
    }
    TestHosts.run(all.toArray(String[]::new));
    var until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (web.get().answered() && System.nanoTime() < until) {
      Thread.sleep(50);
    }
  }

  /** kill -9 of the managed nginx's master alone: its workers are orphaned and keep the port. */
  static void loseNginxMaster(WebProject web) throws Exception {
    TestHosts.run(
        "kill",
        "-KILL",
        Files.readString(web.dir.resolve(".reconcile/nginx/logs/nginx.pid")).strip());
  }

  @Test
  void
      afterTheEngineRestartsAndNginxIsLost_containersComeBack_theToolSaysWhatIsDown_andTheControllerHeals()
          throws Exception {
    web = WebProject.atV1(dir, "rcrb", "0s", "0s");

    // nginx lost, nobody watching: status, drift and plan say so.
    loseNginx(web);
    var status = web.run("status", "--project", web.name);
    assertThat(status.out() + status.err()).contains("nginx is not running");
    var drift = web.run("drift", "--project", web.name);
    assertThat(drift.exitCode()).as(drift.out() + drift.err()).isEqualTo(2);
    var plan = web.run("plan", "--detailed-exitcode", "--project", web.name);
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(2);
    assertThat(plan.out()).contains("nginx is not running");

    // The controller, as systemd starts it at boot, starts nginx again; its resync is far off, so
    // what it does next comes from what it hears.
    watch = WatchProcess.heal(web, "600s");
    var healed =
        watch.await("the site healed", Duration.ofSeconds(90), () -> watch.healedAfter(1, web));

    // A reboot under it: every container stops with the engine, and nginx dies.
    loseNginx(web);
    WatchProcess.restartEngine();
    var rebooted = healed;
    healed = watch.await(
        "the site healed after the engine came back",
        Duration.ofSeconds(90),
        () -> watch.healedAfter(rebooted, web));
    assertThat(watch.said()).contains("heard again");

    // Its event stream was subscribed again: a container removed now is healed long before a
    // resync.
    TestHosts.run("docker", "rm", "-f", TestHosts.containers(web.name).getFirst());
    var removed = healed;
    watch.await(
        "the removed container replaced",
        Duration.ofSeconds(30),
        () -> watch.healedAfter(removed, web));

    assertThat(watch.stop()).as(watch.said()).isZero();
    var after = web.run("drift", "--project", web.name);
    assertThat(after.exitCode()).as(after.out() + after.err() + watch.said()).isZero();
  }
}
