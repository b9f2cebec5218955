package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller under faults, for as long as asked ({@code -Dreconcile.soak.minutes}, default: one
 * round of each fault, a few minutes): nginx killed with -9 (its workers orphaned), a container
 * removed, an env_file that cannot be read, the Docker engine restarted. After each, the site must
 * serve again; at the end every environment is in sync, the controller's threads and open files
 * are back where they were after the first round, and the webhook heard a few messages per fault,
 * not a storm.
 */
class SoakIT {
  @TempDir Path dir;
  private WebProject web;
  private Process watch;
  private HttpServer hook;
  private final AtomicInteger posts = new AtomicInteger();

  @AfterEach
  void cleanUp() throws Exception {
    if (watch != null && watch.isAlive()) {
      watch.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (hook != null) {
      hook.stop(0);
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

  private Optional<Boolean> servesV1() {
    var answer = web.get();
    return answer.status() == 200 && answer.body().contains("version v1") ? Optional.of(true) : Optional.empty();
  }

  private void write(String envFile) throws Exception {
    Files.writeString(web.spec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          notify: { webhook: "http://127.0.0.1:%d/hook", format: json }
        projects:
          %s:
            env_file: %s
            domains: { production: %s.test }
            containers:
              web:
                image: "reconcile-test/web:v1"
                port: 8080
                env: { GREETING: "${GREETING}" }
                health: { path: /health, interval: 1s, retries: 3 }
        """.formatted(web.listen, hook.getAddress().getPort(), web.name, envFile, web.name));
  }

  /** Threads and open files of the controller's JVM. */
  private long[] usage() throws Exception {
    var pid = watch.pid();
    var threads = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(l -> l.startsWith("Threads:")).map(l -> Long.parseLong(l.substring(8).strip())).findFirst().orElseThrow();
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return new long[] {threads, fds.count()};
    }
  }

  private void killNginx() throws Exception {
    var pid = Files.readString(web.dir.resolve(".reconcile/nginx/logs/nginx.pid")).strip();
    TestHosts.run("kill", "-KILL", pid); // its workers are orphaned and keep the port
  }

  private void restartEngine() throws Exception {
    var pid = TestHosts.run("pidof", "dockerd").strip();
    TestHosts.run("kill", "-TERM", pid);
    await("dockerd to exit", Duration.ofSeconds(60),
        () -> Files.exists(Path.of("/proc", pid)) ? Optional.empty() : Optional.of(true));
    var setup = new ProcessBuilder(Path.of("..").toAbsolutePath().normalize().resolve("bin/lib/setup-host.sh")
        .toString()).redirectErrorStream(true).start();
    var said = new String(setup.getInputStream().readAllBytes());
    assertThat(setup.waitFor()).as(said).isZero();
  }

  @Test
  void theControllerUnderFaults_healsEveryOne_withoutGrowingOrShouting() throws Exception {
    hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    hook.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      posts.incrementAndGet();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    hook.start();
    web = new WebProject(dir, "rcsk", "0s", "0s");
    Files.writeString(dir.resolve("app.env"), "GREETING=hello\n");
    write("app.env");
    var first = web.apply();
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();

    var log = dir.resolve("watch.log");
    watch = web.launch(Map.of(), "watch.log", List.of("-f", web.spec.toString(), "watch", "--mode", "heal",
        "--interval", "5s", "--listen", "127.0.0.1:0", "--bake", "0s", "--drain", "0s"));
    var minutes = Integer.getInteger("reconcile.soak.minutes", 0);
    var until = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
    var faults = 0;
    var engineRestarts = 0;
    long[] baseline = null;
    var rounds = 0;
    do {
      // nginx killed: its orphaned workers still answer with the old configuration.
      killNginx();
      await("healed after nginx was killed (round " + rounds + ")", Duration.ofSeconds(90), () -> {
        var served = servesV1();
        return served.isPresent() && watchSaysInSync() ? served : Optional.empty();
      });
      // A container removed by hand.
      TestHosts.run("docker", "rm", "-f", TestHosts.containers(web.name).getFirst());
      await("healed after the container was removed", Duration.ofSeconds(90), () -> {
        try {
          return TestHosts.containers(web.name).isEmpty() ? Optional.empty() : servesV1();
        } catch (Exception e) {
          return Optional.empty();
        }
      });
      // The env_file replaced by a folder: the key fails and backs off; the site keeps serving.
      Files.move(dir.resolve("app.env"), dir.resolve("app.env.kept"));
      Files.createDirectories(dir.resolve("app.env"));
      await("the key failing", Duration.ofSeconds(60), () -> Files.exists(log) && read(log).contains("cannot read env")
          ? Optional.of(true) : Optional.empty());
      assertThat(servesV1()).isPresent();
      Files.delete(dir.resolve("app.env"));
      Files.move(dir.resolve("app.env.kept"), dir.resolve("app.env"));
      await("the key in sync again", Duration.ofMinutes(6), () -> watchSaysInSync() ? Optional.of(true) : Optional.empty());
      faults += 3;
      // The engine restarted (every container stops with it): once, or once an hour in a long soak.
      if (engineRestarts == 0 || (minutes >= 60 && rounds % 20 == 19)) {
        restartEngine();
        engineRestarts++;
        faults++;
        await("healed after the engine restarted", Duration.ofSeconds(120), this::servesV1);
      }
      if (baseline == null) {
        // After a first round every pool, client and stream the controller keeps exists.
        await("in sync after round 1", Duration.ofSeconds(60), () -> watchSaysInSync() ? Optional.of(true) : Optional.empty());
        baseline = usage();
      }
      rounds++;
    } while (System.nanoTime() < until);

    await("in sync at the end", Duration.ofSeconds(60), () -> watchSaysInSync() ? Optional.of(true) : Optional.empty());
    var end = usage();
    System.out.printf("soak: %d rounds, %d faults, %d engine restarts; threads %d -> %d, open files %d -> %d; "
        + "%d webhook posts%n", rounds, faults, engineRestarts, baseline[0], end[0], baseline[1], end[1], posts.get());
    assertThat(end[0]).as("threads, after the first round and now").isLessThanOrEqualTo(baseline[0] + 4);
    assertThat(end[1]).as("open files, after the first round and now").isLessThanOrEqualTo(baseline[1] + 8);
    assertThat(posts.get()).as("webhook posts for %d faults", faults).isLessThanOrEqualTo(4 * faults);
    watch.destroy();
    assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(watch.exitValue()).as(read(dir.resolve("watch.log"))).isZero();
    assertThat(web.run("drift").exitCode()).isZero();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** The controller's /status says every environment is in sync. */
  private boolean watchSaysInSync() {
    var m = java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/status").matcher(read(dir.resolve("watch.log")));
    if (!m.find()) {
      return false;
    }
    var answer = dev.reconcile.probe.HttpProbe.get("127.0.0.1", Integer.parseInt(m.group(1)), "/status", "127.0.0.1",
        Duration.ofSeconds(5));
    return answer.status() == 200 && answer.body().contains("\"in-sync\"") && !answer.body().contains("\"failing\"")
        && !answer.body().contains("\"drifted\"");
  }
}
