package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller under faults, for as long as asked ({@code -Dreconcile.soak.minutes}; by default
 * one round of each fault, a few minutes in CI): nginx killed with -9 (its workers orphaned), a
 * container removed, an env_file that cannot be read, the Docker engine restarted. After each the
 * controller heals (or recovers) on its own; at the end every environment is in sync, the
 * controller's threads and open files are where they were after the first round, and the webhook
 * heard a few messages per fault, not a storm.
 */
class SoakIT {
  @TempDir Path dir;
  private WebProject web;
  private WatchProcess watch;
  private HttpServer hook;
  private final AtomicInteger posts = new AtomicInteger();

  @AfterEach
  void cleanUp() throws Exception {
    if (watch != null) {
      watch.close();
    }
    if (hook != null) {
      hook.stop(0);
    }
    if (web != null) {
      web.cleanUp();
    }
  }

  private void write() throws Exception {
    Files.writeString(web.spec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          notify: { webhook: "http://127.0.0.1:%d/hook", format: json }
        projects:
          %s:
            env_file: app.env
            domains: { production: %s.test }
            containers:
              web:
                image: "reconcile-test/web:v1"
                port: 8080
                env: { GREETING: "${GREETING}" }
                health: { path: /health, interval: 1s, retries: 3 }
        """.formatted(web.listen, hook.getAddress().getPort(), web.name, web.name));
  }

  /** Threads and open files of the controller's JVM. */
  private long[] usage() throws Exception {
    var proc = Path.of("/proc", Long.toString(watch.process.pid()));
    var threads = Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith("Threads:"))
        .map(l -> Long.parseLong(l.substring(8).strip())).findFirst().orElseThrow();
    try (var fds = Files.list(proc.resolve("fd"))) {
      return new long[] {threads, fds.count()};
    }
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
    write();
    var first = web.apply();
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();

    watch = WatchProcess.heal(web, "5s");
    var serial = watch.await("in sync at the start", Duration.ofSeconds(60), watch::inSyncAt);
    var minutes = Integer.getInteger("reconcile.soak.minutes", 0);
    var until = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
    var faults = 0;
    var engineRestarts = 0;
    long[] baseline = null;
    var rounds = 0;
    var postsBefore = posts.get();
    do {
      // nginx killed: its orphaned workers still answer with the old configuration.
      RebootIT.loseNginxMaster(web);
      var before = serial;
      serial = watch.await("healed after nginx was killed (round " + rounds + ")", Duration.ofSeconds(90),
          () -> watch.healedAfter(before, web));
      // A container removed by hand.
      TestHosts.run("docker", "rm", "-f", TestHosts.containers(web.name).getFirst());
      var removed = serial;
      serial = watch.await("healed after the container was removed", Duration.ofSeconds(90),
          () -> watch.healedAfter(removed, web));
      // The env_file replaced by a folder: the key fails and backs off; the site keeps serving.
      Files.move(dir.resolve("app.env"), dir.resolve("app.env.kept"));
      Files.createDirectories(dir.resolve("app.env"));
      watch.await("the key failing", Duration.ofSeconds(60), () -> watch.said().contains("cannot read env")
          ? Optional.of(true) : Optional.empty());
      assertThat(web.serves("v1")).isPresent();
      Files.delete(dir.resolve("app.env"));
      Files.move(dir.resolve("app.env.kept"), dir.resolve("app.env"));
      serial = watch.await("in sync again", Duration.ofMinutes(6), watch::inSyncAt);
      faults += 3;
      // The engine restarted (every container stops with it): once, and every 20 rounds in a long soak.
      if (engineRestarts == 0 || rounds % 20 == 19) {
        WatchProcess.restartEngine();
        engineRestarts++;
        faults++;
        var restarted = serial;
        serial = watch.await("healed after the engine restarted", Duration.ofSeconds(120),
            () -> watch.healedAfter(restarted, web));
      }
      if (baseline == null) {
        // After a first round, every pool, client and stream the controller keeps exists.
        baseline = usage();
      }
      rounds++;
    } while (System.nanoTime() < until);

    var end = usage();
    var sent = posts.get() - postsBefore;
    System.out.printf("soak: %d rounds, %d faults, %d engine restarts; threads %d -> %d, open files %d -> %d; "
        + "%d webhook posts%n", rounds, faults, engineRestarts, baseline[0], end[0], baseline[1], end[1], sent);
    assertThat(end[0]).as("threads, after the first round and now").isLessThanOrEqualTo(baseline[0] + 4);
    assertThat(end[1]).as("open files, after the first round and now").isLessThanOrEqualTo(baseline[1] + 8);
    assertThat(sent).as("webhook posts for %d faults", faults).isLessThanOrEqualTo(4 * faults);
    assertThat(watch.stop()).as(watch.said()).isZero();
    var drift = web.run("drift");
    assertThat(drift.exitCode()).as(drift.out()).isZero();
  }
}
