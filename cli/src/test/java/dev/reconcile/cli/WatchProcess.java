package dev.reconcile.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.probe.HttpProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** {@code reconcile watch} as its own process over a test project, and what it says. */
final class WatchProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  final Process process;
  final Path log;

  private WatchProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static WatchProcess heal(WebProject web, String interval) throws Exception {
    return start(web, "heal", interval);
  }

  /** A controller that only reports (and takes the runs handed to it). */
  static WatchProcess report(WebProject web) throws Exception {
    return start(web, "report", "300s");
  }

  private static WatchProcess start(WebProject web, String mode, String interval) throws Exception {
    var process = web.launch(
        java.util.Map.of(),
        "watch.log",
        List.of(
            "-f",
            web.spec.toString(),
            "watch",
            "--mode",
            mode,
            "--interval",
            interval,
            "--listen",
            "127.0.0.1:0",
            "--bake",
            "0s",
            "--drain",
            "0s"));
    return new WatchProcess(process, web.dir.resolve("watch.log"));
  }

  /** Polls until the answer is there, or fails after {@code limit} with the controller's log. */
  <T> T await(String what, Duration limit, Supplier<Optional<T>> probe)
      throws InterruptedException {
    var until = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < until) {
      var answer = probe.get();
      if (answer.isPresent()) {
        return answer.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "waited " + limit.toSeconds() + " s for " + what + "; the controller said:\n" + said());
  }

  String said() {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private Optional<String> status() {
    var m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/status").matcher(said());
    if (!m.find()) {
      return Optional.empty();
    }
    var answer = HttpProbe.get(
        "127.0.0.1", Integer.parseInt(m.group(1)), "/status", "127.0.0.1", Duration.ofSeconds(5));
    return answer.status() == 200 ? Optional.of(answer.body()) : Optional.empty();
  }

  /** The serial of the last apply when /status says every environment is in sync. */
  Optional<Integer> inSyncAt() {
    return status().flatMap(body -> {
      try {
        Optional<Integer> serial = Optional.empty();
        for (var e : JSON.readTree(body).path("environments")) {
          if (!e.path("state").asText().equals("in-sync")
              || !e.path("last_serial").isInt()) {
            return Optional.empty();
          }
          serial = Optional.of(e.path("last_serial").asInt());
        }
        return serial;
      } catch (java.io.IOException e) {
        return Optional.empty();
      }
    });
  }

  /** Each environment's last serial, when /status says every environment is in sync. */
  Optional<java.util.Map<String, Integer>> serials() {
    return status().flatMap(body -> {
      try {
        var out = new java.util.TreeMap<String, Integer>();
        for (var e : JSON.readTree(body).path("environments")) {
          if (!e.path("state").asText().equals("in-sync")
              || !e.path("last_serial").isInt()) {
            return Optional.empty();
          }
          out.put(e.path("environment").asText(), e.path("last_serial").asInt());
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
      } catch (java.io.IOException e) {
        return Optional.empty();
      }
    });
  }

  /** What /status says of one environment now: its state and error, or empty when it is not listed. */
  Optional<String> stateOf(String environment) {
    return status().flatMap(body -> {
      try {
        for (var e : JSON.readTree(body).path("environments")) {
          if (e.path("environment").asText().equals(environment)) {
            return Optional.of(e.path("state").asText() + " " + e.path("error").asText(""));
          }
        }
        return Optional.empty();
      } catch (java.io.IOException e) {
        return Optional.empty();
      }
    });
  }

  /** The controller recorded an apply after {@code serial}, is in sync, and the site serves v1. */
  Optional<Integer> healedAfter(int serial, WebProject web) {
    return inSyncAt().filter(s -> s > serial).filter(s -> web.serves("v1").isPresent());
  }

  /** SIGTERM, as systemd stops it; its exit code. */
  int stop() throws Exception {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("watch did not stop within 60 s of SIGTERM:\n" + said());
    }
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Stops dockerd as a shutdown does (SIGTERM: every container stops with it) and starts it again. */
  static void restartEngine() throws Exception {
    // The machine's engine by its pid file: a test's own engines (bin/lib/swarm-nodes.sh) have
    // theirs elsewhere.
    var pidFile = Path.of("/var/run/docker.pid");
    var pid = Files.exists(pidFile) ? Files.readString(pidFile).strip() : "";
    if (!pid.matches("[0-9]+") || !Files.exists(Path.of("/proc", pid))) {
      throw new AssertionError(
          "no dockerd of this machine to restart (bin/lib/setup-host.sh starts one): " + pid);
    }
    TestHosts.run("kill", "-TERM", pid);
    var until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (Files.exists(Path.of("/proc", pid))) {
      if (System.nanoTime() > until) {
        throw new AssertionError("dockerd did not exit within 60 s of SIGTERM");
      }
      Thread.sleep(100);
    }
    var setup = new ProcessBuilder(Path.of("..")
            .toAbsolutePath()
            .normalize()
            .resolve("bin/lib/setup-host.sh")
            .toString())
        .redirectErrorStream(true)
        .start();
    var said = new String(setup.getInputStream().readAllBytes());
    if (setup.waitFor() != 0) {
      throw new AssertionError("the engine did not start again: " + said);
    }
  }
}
