package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.reconcile.probe.HttpProbe;
import dev.reconcile.testing.TestPorts;
import dev.reconcile.testing.TestSshd;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller under faults, for as long as asked ({@code -Dreconcile.soak.minutes}; by default
 * one round of each fault, a few minutes in CI), over two environments: one on this machine's
 * engine, one on a server over SSH. The faults: nginx killed with -9 (its workers orphaned), a
 * container removed, an env_file that cannot be read, the state folder's disk full, sshd
 * restarted under the controller's connection, the Docker engine restarted. After each the
 * controller heals (or recovers) on its own; at the end every environment is in sync, the
 * controller's threads and open files are where they were after the first round, and the webhook
 * heard a few messages per fault, not a storm.
 */
class SoakIT {
  @TempDir
  Path dir;

  private WebProject web;
  private WatchProcess watch;
  private HttpServer hook;
  private final AtomicInteger posts = new AtomicInteger();
  private TestSshd sshd;
  /** The project on the server over SSH: its name, its nginx's port, its state folder. */
  private final String remote = "rcsr"
      + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 40), 36);

  private final int remoteListen = TestPorts.reserve();
  private Path server;
  private Path state;

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
      TestHosts.removeProject(remote);
    }
    if (server != null && Files.exists(server.resolve("nginx/logs/nginx.pid"))) {
      TestHosts.run(
          "kill",
          "-QUIT",
          Files.readString(server.resolve("nginx/logs/nginx.pid")).strip());
    }
    if (sshd != null) {
      sshd.close();
    }
    if (state != null) {
      TestHosts.run("umount", "-l", state.toString());
    }
  }

  private void write() throws Exception {
    Files.writeString(web.spec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          notify: { webhook: "http://127.0.0.1:%d/hook", format: json }
          hosts:
            local: { docker: "unix:///var/run/docker.sock" }
            %s
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
          %s:
            host: server
            domains: { production: %s.test }
            containers:
              web:
                image: "reconcile-test/web:v1"
                port: 8080
                health: { path: /health, interval: 1s, retries: 3 }
        """.formatted(
            web.listen,
            hook.getAddress().getPort(),
            sshd.hostEntry("server", server, remoteListen),
            web.name,
            web.name,
            remote,
            remote));
  }

  /** The controller's threads by name (digits folded), most first: what grew, when threads did. */
  private String threadNames() throws IOException {
    var names = new java.util.TreeMap<String, Integer>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(watch.process.pid()), "task"))) {
      for (var task : tasks.toList()) {
        try {
          names.merge(
              Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "N"),
              1,
              Integer::sum);
        } catch (IOException gone) {
          // ended meanwhile
        }
      }
    }
    return names.toString();
  }

  /** What the controller's open files are, by kind (socket, pipe, anon_inode, a path's folder). */
  private String openFiles() throws IOException {
    var kinds = new java.util.TreeMap<String, Integer>();
    try (var fds = Files.list(Path.of("/proc", Long.toString(watch.process.pid()), "fd"))) {
      for (var fd : fds.toList()) {
        try {
          var target = Files.readSymbolicLink(fd).toString();
          kinds.merge(
              target.replaceAll("\\[[0-9]+\\]", "").replaceAll("/[^/]*$", "/"), 1, Integer::sum);
        } catch (IOException gone) {
          // closed meanwhile
        }
      }
    }
    return kinds.toString();
  }

  /** Threads and open files of the controller's JVM. */
  private long[] usage() throws Exception {
    var proc = Path.of("/proc", Long.toString(watch.process.pid()));
    var threads = Files.readAllLines(proc.resolve("status")).stream()
        .filter(l -> l.startsWith("Threads:"))
        .map(l -> Long.parseLong(l.substring(8).strip()))
        .findFirst()
        .orElseThrow();
    try (var fds = Files.list(proc.resolve("fd"))) {
      return new long[] {threads, fds.count()};
    }
  }

  private static int times(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }

  /** Present when the server's site answers 200 with v1. */
  private Optional<Boolean> remoteServes() {
    var answer =
        HttpProbe.get("127.0.0.1", remoteListen, "/", remote + ".test", Duration.ofSeconds(5));
    return answer.status() == 200 && answer.body().contains("version v1")
        ? Optional.of(true)
        : Optional.empty();
  }

  /** Every environment in sync, {@code which} recorded an apply after its serial in {@code before}, both sites serve. */
  private Optional<Map<String, Integer>> healed(Map<String, Integer> before, String which) {
    return watch
        .serials()
        .filter(now -> now.get(which) > before.get(which))
        .filter(now -> web.serves("v1").isPresent() && remoteServes().isPresent());
  }

  /** Fills the disk the state folder is on, up to the last byte; the filler is deleted to free it. */
  private Path fill() throws IOException {
    var filler = state.resolve("filler");
    var chunk = new byte[1 << 20];
    try (var out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left")) {
        throw full;
      }
    }
    // What a page of metadata or a last partial block may still take.
    for (var i = 0; ; i++) {
      try {
        Files.write(state.resolve("filler-" + i), new byte[4096]);
      } catch (IOException full) {
        return filler;
      }
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
    sshd = TestSshd.start();
    server = dir.resolve("server");
    // The checkout's state folder on a disk of its own, so that the test can fill it (just above
    // the 1 GiB an apply's pre-flight asks for: a tmpfs takes memory only for what is written).
    state = Files.createDirectories(dir.resolve(".reconcile"));
    TestHosts.run("mount", "-t", "tmpfs", "-o", "size=1100m", "rcsoak", state.toString());
    web = new WebProject(dir, "rcsk", "0s", "0s");
    Files.writeString(dir.resolve("app.env"), "GREETING=hello\n");
    write();
    var first = web.run("apply", "--yes", "--bake", "0s", "--drain", "0s");
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    var local = web.name + "/production";
    var far = remote + "/production";

    watch = WatchProcess.heal(web, "5s");
    var serials = watch.await("in sync at the start", Duration.ofSeconds(60), watch::serials);
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
      var killed = serials;
      serials = watch.await(
          "healed after nginx was killed (round " + rounds + ")",
          Duration.ofSeconds(90),
          () -> healed(killed, local));
      // A container removed by hand.
      TestHosts.run("docker", "rm", "-f", TestHosts.containers(web.name).getFirst());
      var removed = serials;
      serials = watch.await(
          "healed after the container was removed",
          Duration.ofSeconds(90),
          () -> healed(removed, local));
      // The env_file replaced by a folder: the key fails and backs off; the site keeps serving.
      Files.move(dir.resolve("app.env"), dir.resolve("app.env.kept"));
      Files.createDirectories(dir.resolve("app.env"));
      var failedBefore = times(watch.said(), "cannot read env");
      watch.await(
          "the key failing",
          Duration.ofSeconds(60),
          () -> times(watch.said(), "cannot read env") > failedBefore
              ? Optional.of(true)
              : Optional.empty());
      assertThat(web.serves("v1")).isPresent();
      Files.delete(dir.resolve("app.env"));
      Files.move(dir.resolve("app.env.kept"), dir.resolve("app.env"));
      serials = watch.await("in sync again", Duration.ofMinutes(6), watch::serials);
      // The state folder's disk full while a container is gone: the heal is refused (pre-flight
      // finds no room to record it) and backs off, and the controller lives on; with room again, it
      // heals.
      var filler = fill();
      var full = serials;
      TestHosts.run("docker", "rm", "-f", TestHosts.containers(web.name).getFirst());
      watch.await(
          "the heal failing on the full disk",
          Duration.ofSeconds(90),
          () -> watch.stateOf(local).filter(s -> s.startsWith("failing")));
      assertThat(watch.process.isAlive()).as(watch.said()).isTrue();
      try (var left = Files.list(state)) {
        for (var f :
            left.filter(f -> f.getFileName().toString().startsWith("filler")).toList()) {
          Files.delete(f);
        }
      }
      serials = watch.await(
          "healed after the disk had room again", Duration.ofMinutes(6), () -> healed(full, local));
      // sshd restarted under the controller's connection, and the server's container removed.
      sshd.restart();
      TestHosts.run("docker", "rm", "-f", TestHosts.containers(remote).getFirst());
      var dropped = serials;
      serials = watch.await(
          "the server healed after sshd restarted",
          Duration.ofSeconds(120),
          () -> healed(dropped, far));
      faults += 5;
      // The engine restarted (every container stops with it): once, and every 20 rounds in a long
      // soak.
      if (engineRestarts == 0 || rounds % 20 == 19) {
        WatchProcess.restartEngine();
        engineRestarts++;
        // One fault for each project: both are told their drift, failed heals and healing.
        faults += 2;
        var restarted = serials;
        // Both projects run on this engine (the server's through sshd): both were restarted with
        // it.
        serials = watch.await(
            "healed after the engine restarted",
            Duration.ofSeconds(180),
            () -> healed(restarted, local).flatMap(now -> healed(restarted, far)));
      }
      if (baseline == null) {
        // After a first round, every pool, client, connection and stream the controller keeps
        // exists.
        baseline = usage();
      }
      rounds++;
    } while (System.nanoTime() < until);

    var end = usage();
    var sent = posts.get() - postsBefore;
    System.out.printf(
        "soak: %d rounds, %d faults, %d engine restarts; threads %d -> %d, open files %d -> %d; "
            + "%d webhook posts%n",
        rounds, faults, engineRestarts, baseline[0], end[0], baseline[1], end[1], sent);
    assertThat(end[0])
        .as("threads, after the first round and now: %s", threadNames())
        .isLessThanOrEqualTo(baseline[0] + 4);
    assertThat(end[1])
        .as("open files, after the first round and now: %s", openFiles())
        .isLessThanOrEqualTo(baseline[1] + 8);
    assertThat(sent).as("webhook posts for %d faults", faults).isLessThanOrEqualTo(4 * faults);
    // An event stream is resubscribed once per engine restart or dropped connection (each time
    // with a resync), not every second because it subscribed again to a client already closed.
    assertThat(times(watch.said(), "are heard again"))
        .as(
            "event streams resubscribed, for %d sshd and %d engine restarts",
            rounds, engineRestarts)
        .isLessThanOrEqualTo(3 * (rounds + engineRestarts) + 2);
    // A fault that lasts is told once, not at each resync while it lasts.
    // A round has three faults that fail a pass over every environment (env_file, disk, server).
    assertThat(times(watch.said(), "trying each environment alone"))
        .as("fleet passes split, told")
        .isLessThanOrEqualTo(4 * rounds);
    assertThat(watch.stop()).as(watch.said()).isZero();
    var drift = web.run("drift");
    assertThat(drift.exitCode()).as(drift.out()).isZero();
  }
}
