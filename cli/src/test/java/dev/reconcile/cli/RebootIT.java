package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reboot does, on the real engine: the Docker engine restarts (every container stops with
 * it) and the managed nginx is gone. The containers come back with the engine; status, drift and
 * plan say nginx is down; the controller starts it again and the site serves.
 */
class RebootIT {
  @TempDir Path dir;
  private WebProject web;
  private Process watch;

  @AfterEach
  void cleanUp() throws Exception {
    if (watch != null && watch.isAlive()) {
      watch.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (web != null) {
      web.cleanUp();
    }
  }

  private static <T> T await(String what, Duration limit, Supplier<Optional<T>> probe) throws InterruptedException {
    var until = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < until) {
      var answer = probe.get();
      if (answer.isPresent()) {
        return answer.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("waited " + limit.toSeconds() + " s for " + what);
  }

  /** Stops dockerd as a shutdown does (SIGTERM: it stops every container) and starts it again. */
  private static void restartEngine() throws Exception {
    var pid = TestHosts.run("pidof", "dockerd").strip();
    assertThat(pid).as("a dockerd of this machine (bin/lib/setup-host.sh starts one)").matches("[0-9]+");
    TestHosts.run("kill", "-TERM", pid);
    await("dockerd to exit", Duration.ofSeconds(60),
        () -> Files.exists(Path.of("/proc", pid)) ? Optional.empty() : Optional.of(true));
    var setup = new ProcessBuilder(Path.of("..").toAbsolutePath().normalize().resolve("bin/lib/setup-host.sh")
        .toString()).redirectErrorStream(true).start();
    var said = new String(setup.getInputStream().readAllBytes());
    assertThat(setup.waitFor()).as(said).isZero();
  }

  /** Every process of the managed nginx ends at once, as at a power cut. */
  private void loseNginx() throws Exception {
    var pid = Files.readString(web.dir.resolve(".reconcile/nginx/logs/nginx.pid")).strip();
    var workers = TestHosts.run("ps", "--ppid", pid, "-o", "pid=").strip();
    var all = new java.util.ArrayList<>(List.of("kill", "-KILL", pid));
    if (!workers.isEmpty()) {
      all.addAll(List.of(workers.split("\\s+")));
    }
    TestHosts.run(all.toArray(String[]::new));
    await("nginx gone", Duration.ofSeconds(20), () -> web.get().answered() ? Optional.empty() : Optional.of(true));
  }

  private Optional<Boolean> servesV1() {
    var answer = web.get();
    return answer.status() == 200 && answer.body().contains("version v1") ? Optional.of(true) : Optional.empty();
  }

  private Optional<Boolean> running() {
    try {
      var running = TestHosts.run("docker", "ps", "--format", "{{.Names}}", "--filter",
          "label=reconcile.project=" + web.name).strip();
      return running.isEmpty() ? Optional.empty() : Optional.of(true);
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  @Test
  void afterTheEngineRestartsAndNginxIsLost_containersComeBack_theToolSaysWhatIsDown_andTheControllerHeals()
      throws Exception {
    web = WebProject.atV1(dir, "rcrb", "0s", "0s");

    // nginx lost, nobody watching: status, drift and plan say so.
    loseNginx();
    var status = web.run("status", "--project", web.name);
    assertThat(status.out() + status.err()).contains("nginx is not running");
    var drift = web.run("drift", "--project", web.name);
    assertThat(drift.exitCode()).as(drift.out() + drift.err()).isEqualTo(2);
    var plan = web.run("plan", "--project", web.name);
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(2);
    assertThat(plan.out()).contains("nginx is not running");

    // The controller, as systemd starts it at boot, starts nginx again; its resync is far off, so
    // what it does next comes from what it hears.
    var log = dir.resolve("watch.log");
    watch = web.launch(java.util.Map.of(), "watch.log", List.of("-f", web.spec.toString(), "watch", "--mode", "heal",
        "--interval", "600s", "--listen", "127.0.0.1:0", "--bake", "0s", "--drain", "0s"));
    await("the site serving again", Duration.ofSeconds(90), this::servesV1);

    // A reboot under it: every container stops with the engine, and nginx dies.
    loseNginx();
    restartEngine();
    await("the project's container running again (restart policy)", Duration.ofSeconds(60), this::running);
    await("the site healed after the engine came back", Duration.ofSeconds(90), this::servesV1);
    assertThat(Files.readString(log)).contains("heard again");

    // Its event stream was subscribed again: a container removed now is healed long before a resync.
    TestHosts.run("docker", "rm", "-f", TestHosts.containers(web.name).getFirst());
    await("the removed container replaced", Duration.ofSeconds(30), () -> {
      try {
        return TestHosts.containers(web.name).isEmpty() ? Optional.empty() : servesV1();
      } catch (Exception e) {
        return Optional.empty();
      }
    });

    watch.destroy();
    assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(watch.exitValue()).as(Files.readString(log)).isZero();
    var after = web.run("drift", "--project", web.name);
    assertThat(after.exitCode()).as(after.out() + after.err() + Files.readString(log)).isZero();
  }
}
