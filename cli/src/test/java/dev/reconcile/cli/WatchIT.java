package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.probe.HttpProbe;
import dev.reconcile.testing.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reconcile watch as users run it (its own process, SIGTERM to stop), against the real engine and
 * nginx: it heals a removed container soon after the event and a deleted site file, backs off a
 * failing key while others heal, and serves its state over HTTP.
 */
class WatchIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final String healthy =
      "rcwa" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final String failing =
      "rcwb" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int listen = TestPorts.reserve();
  private Process watch;

  private void write() throws Exception {
    var key = Files.writeString(dir.resolve("no_key"), "");
    var knownHosts = Files.writeString(dir.resolve("no_known_hosts"), "");
    Files.writeString(dir.resolve("projects.yml"), """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          # The state stays here: on the server that is never reached, nothing could be planned.
          state_host: local
          hosts:
            local: { docker: "unix:///var/run/docker.sock" }
            gone: { ssh: "nobody@127.0.0.1:%d", identity: "%s", known_hosts: "%s" }
        projects:
          %s:
            domains: { production: %s.test }
            containers:
              web: { image: "reconcile-test/web:v1", port: 8080, health: { path: /health, interval: 1s, retries: 3 } }
            backup: { before_deploy: false, schedule: "* * * * *" }
          %s:
            host: gone
            domains: { production: %s.test }
            containers:
              web: { image: "reconcile-test/web:v1", port: 8080 }
        """.formatted(
            listen, TestPorts.reserve(), key, knownHosts, healthy, healthy, failing, failing));
  }

  private CliRun run(String... args) {
    var all = new ArrayList<>(List.of("-f", dir.resolve("projects.yml").toString()));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (watch != null && watch.isAlive()) {
      watch.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    run("nginx", "stop");
    TestHosts.removeProject(healthy);
    var tags = TestHosts.run(
            "docker",
            "images",
            "--format",
            "{{.Repository}}:{{.Tag}}",
            "reconcile-backup/" + healthy + "-web")
        .strip();
    for (var tag : tags.isEmpty() ? List.<String>of() : List.of(tags.split("\n"))) {
      TestHosts.run("docker", "rmi", tag);
    }
  }

  /** Polls until the answer is there, or fails after {@code limit}; never a fixed sleep. */
  private static <T> T await(String what, Duration limit, Supplier<Optional<T>> probe)
      throws InterruptedException {
    var until = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < until) {
      var answer = probe.get();
      if (answer.isPresent()) {
        return answer.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("waited " + limit.toSeconds() + " s for " + what);
  }

  private Optional<String> get(int port, String path) {
    var answer = HttpProbe.get("127.0.0.1", port, path, "127.0.0.1", Duration.ofSeconds(5));
    return answer.status() == 200 ? Optional.of(answer.body()) : Optional.empty();
  }

  private Optional<Integer> serial(int port) {
    return get(port, "/status").flatMap(body -> {
      try {
        for (var e : JSON.readTree(body).path("environments")) {
          if (e.path("environment").asText().equals(healthy + "/production")
              && e.path("state").asText().equals("in-sync")
              && e.path("last_serial").isInt()) {
            return Optional.of(e.path("last_serial").asInt());
          }
        }
      } catch (Exception ignored) {
        // Not yet.
      }
      return Optional.empty();
    });
  }

  private boolean serves() {
    var answer = HttpProbe.get("127.0.0.1", listen, "/", healthy + ".test", Duration.ofSeconds(2));
    return answer.status() == 200 && answer.body().contains("version v1");
  }

  private static double metric(String metrics, String name, String key) {
    var m = Pattern.compile(
            "^" + name + "\\{key=\"" + Pattern.quote(key) + "\"\\} (\\S+)$", Pattern.MULTILINE)
        .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** bin/reconcile -f projects.yml watch ARGS. */
  private List<String> watchArgs(String... args) {
    var argv = new ArrayList<>(List.of(
        Path.of("..").toAbsolutePath().normalize().resolve("bin/reconcile").toString(),
        "-f",
        dir.resolve("projects.yml").toString(),
        "watch"));
    argv.addAll(List.of(args));
    return argv;
  }

  /** Starts the watch, its output in {@code log}; the port it serves /status on. */
  private int launch(List<String> argv, Path log) throws Exception {
    watch = new ProcessBuilder(argv)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    return await("the watch's address in its log", Duration.ofSeconds(60), () -> {
      try {
        var m =
            Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/status").matcher(Files.readString(log));
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
      } catch (java.io.IOException e) {
        return Optional.empty();
      }
    });
  }

  @Test
  void watchHeals_aRemovedContainerAndADeletedSite_whileAFailingKeyBacksOff_andStopsOnSigterm()
      throws Exception {
    write();
    var first = run("apply", "--yes", "--bake", "0s", "--drain", "0s", "--project", healthy);
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();

    var log = dir.resolve("watch.log");
    var argv = watchArgs(
        "--mode",
        "heal",
        "--interval",
        "3s",
        "--listen",
        "127.0.0.1:0",
        "--bake",
        "0s",
        "--drain",
        "0s");
    var port = launch(argv, log);
    assertThat(get(port, "/healthz")).contains("ok\n");
    assertThat(HttpProbe.get("127.0.0.1", port, "/statusXYZ", "127.0.0.1", Duration.ofSeconds(5))
            .status())
        .as("only the endpoints themselves answer")
        .isEqualTo(404);
    var before = await("the healthy key in sync", Duration.ofSeconds(60), () -> serial(port));

    // A container removed by hand: healed from the Docker event, not the resync.
    var removed = System.nanoTime();
    TestHosts.run("docker", "rm", "-f", TestHosts.containers(healthy).getFirst());
    var after = await(
        "the heal recorded", Duration.ofSeconds(30), () -> serial(port).filter(s -> s > before));
    var healedIn = Duration.ofNanos(System.nanoTime() - removed);
    System.out.println(
        "watch: docker rm -f -> healed and recorded in " + healedIn.toMillis() + " ms");
    assertThat(healedIn).isLessThan(Duration.ofSeconds(10));
    assertThat(serves()).isTrue();

    // The site file deleted by hand.
    try (var files = Files.walk(dir.resolve(".reconcile"))) {
      Files.delete(files
          .filter(p -> p.getFileName().toString().equals(healthy + ".production.conf"))
          .findFirst()
          .orElseThrow());
    }
    await("the site healed", Duration.ofSeconds(30), () -> serial(port).filter(s -> s > after));
    assertThat(serves()).isTrue();

    // The key of the server that cannot be reached fails again and again, waiting longer each time.
    var waits = new ArrayList<Double>();
    await("the failing key to back off three times", Duration.ofSeconds(60), () -> {
      var metrics = get(port, "/metrics").orElse("");
      var wait = metric(metrics, "reconcile_backoff_seconds", failing + "/production");
      if (waits.isEmpty() || waits.getLast() != wait) {
        waits.add(wait);
      }
      return metric(metrics, "reconcile_failures_total", failing + "/production") >= 3 && wait >= 4
          ? Optional.of(true)
          : Optional.empty();
    });
    assertThat(waits).as("growing waits, as /metrics showed them").isSorted().contains(4.0);
    assertThat(get(port, "/status").orElseThrow()).contains("\"failing\"");

    // The schedule fires every minute and there was no backup yet: the controller takes one.
    await("a scheduled backup", Duration.ofSeconds(30), () -> {
      var list = run("--output", "json", "backup", "list", "--project", healthy).out();
      return list.contains("\"reason\" : \"scheduled\"") ? Optional.of(true) : Optional.empty();
    });

    watch.destroy(); // SIGTERM
    assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(watch.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("SIGTERM", "stopped");
  }

  @Test
  void aKeyThatCannotBePlanned_failsAlone_andAControllerThatFails_exitsNonZero() throws Exception {
    // A project whose env_file is a folder: its plan fails with an unchecked error.
    Files.createDirectories(dir.resolve("env.d"));
    Files.writeString(
        dir.resolve("projects.yml"), """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
        projects:
          %s:
            domains: { production: %s.test }
            containers:
              web: { image: "reconcile-test/web:v1", port: 8080, health: { path: /health, interval: 1s, retries: 3 } }
          %s:
            env_file: env.d
            domains: { production: %s.test }
            containers:
              web: { image: "reconcile-test/web:v1", port: 8080, env: { A: "${A:-x}" } }
        """.formatted(listen, healthy, healthy, failing, failing));
    var first = run("apply", "--yes", "--bake", "0s", "--drain", "0s", "--project", healthy);
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();

    var log = dir.resolve("watch.log");
    var argv = watchArgs("--mode", "report", "--interval", "60s", "--listen", "127.0.0.1:0");
    var port = launch(argv, log);
    // The faulty key fails on its own, named; the other is compared all the same; the worker lives.
    await(
        "the faulty key failing and the other in sync",
        Duration.ofSeconds(60),
        () -> get(port, "/status").filter(body -> {
          try {
            for (var e : JSON.readTree(body).path("environments")) {
              if (e.path("environment").asText().equals(failing + "/production")
                  && e.path("state").asText().equals("failing")
                  && e.path("error").asText().contains("cannot read env file")) {
                return serial(port).isPresent();
              }
            }
          } catch (java.io.IOException ignored) {
            // Not yet.
          }
          return false;
        }));
    assertThat(get(port, "/healthz")).contains("ok\n");
    watch.destroy();
    assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();

    // The controller itself failing (a fault injected in its worker): the process ends, non-zero.
    var failed = dir.resolve("failed.log");
    var command =
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(failed.toFile());
    command.environment().put("RECONCILE_TEST_FAIL", "controller-worker");
    watch = command.start();
    assertThat(watch.waitFor(120, TimeUnit.SECONDS))
        .as(Files.readString(failed))
        .isTrue();
    assertThat(watch.exitValue()).as(Files.readString(failed)).isEqualTo(1);
    assertThat(Files.readString(failed)).contains("the controller failed: IllegalStateException");
  }

  @Test
  void anApplyKilledAfterItsSwitch_isLeftToTheJournal_notRevertedByAHealingController()
      throws Exception {
    var spec = """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
        projects:
          %s:
            domains: { production: %s.test }
            containers:
              web: { image: "reconcile-test/web:%s", port: 8080, health: { path: /health, interval: 1s, retries: 3 } }
        """;
    Files.writeString(dir.resolve("projects.yml"), spec.formatted(listen, healthy, healthy, "v1"));
    var first = run("apply", "--yes", "--bake", "0s", "--drain", "0s");
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();

    var log = dir.resolve("watch.log");
    var argv = watchArgs(
        "--mode",
        "heal",
        "--interval",
        "2s",
        "--listen",
        "127.0.0.1:0",
        "--bake",
        "0s",
        "--drain",
        "0s");
    var port = launch(argv, log);
    await("the key in sync", Duration.ofSeconds(60), () -> serial(port));

    // An operator's apply of v2, killed right after nginx serves the new slot.
    Files.writeString(dir.resolve("projects.yml"), spec.formatted(listen, healthy, healthy, "v2"));
    var apply = new ProcessBuilder(
            Path.of("..").toAbsolutePath().normalize().resolve("bin/reconcile").toString(),
            "-f",
            dir.resolve("projects.yml").toString(),
            "apply",
            "--yes",
            "--bake",
            "0s",
            "--drain",
            "0s")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("killed.log").toFile());
    apply.environment().put("RECONCILE_TEST_KILL_AFTER", "revision-served");
    var killed = apply.start();
    assertThat(killed.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(killed.exitValue())
        .as(Files.readString(dir.resolve("killed.log")))
        .isEqualTo(137);

    // The controller sees an interrupted apply, not drift: several passes later v2 still serves.
    var key = healthy + "/production";
    await(
        "the key shown as interrupted",
        Duration.ofSeconds(60),
        () -> get(port, "/status").filter(body -> body.contains("\"interrupted\"")));
    var runs = Pattern.compile(
        "^reconcile_runs_total\\{key=\"" + Pattern.quote(key)
            + "\",result=\"interrupted\"\\} (\\S+)$",
        Pattern.MULTILINE);
    await("three passes that found it interrupted", Duration.ofSeconds(60), () -> {
      var m = runs.matcher(get(port, "/metrics").orElse(""));
      return m.find() && Double.parseDouble(m.group(1)) >= 3 ? Optional.of(true) : Optional.empty();
    });
    assertThat(HttpProbe.get("127.0.0.1", listen, "/", healthy + ".test", Duration.ofSeconds(2))
            .body())
        .as(Files.readString(log))
        .contains("version v2");
    assertThat(Files.readString(log)).doesNotContain("healed");
    watch.destroy();
    assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();

    var status = run("status");
    assertThat(status.out()).contains("ended before it finished", "reconcile rollback");
    var drift = run("drift");
    assertThat(drift.exitCode()).as(drift.out()).isEqualTo(2);
    assertThat(drift.out()).contains("apply-interrupted").doesNotContain("restarted");
    // The next apply records what runs and finishes it.
    var finish = run("apply", "--yes", "--bake", "0s", "--drain", "0s");
    assertThat(finish.exitCode()).as(finish.out() + finish.err()).isZero();
    assertThat(run("drift").exitCode()).isZero();
  }
}
