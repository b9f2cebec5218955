package dev.reconcile.cli;

import dev.reconcile.probe.HttpProbe;
import dev.reconcile.testing.TestPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One test project (the test web image behind the managed nginx) in a folder of the test's: its
 * spec, applies in process, the built tool as a process of its own, answers, and clean-up.
 */
final class WebProject {
  final Path dir;
  final String name;
  final int listen = TestPorts.reserve();
  final Path spec;
  private final String bake;
  private final String drain;
  /** The server the project runs on, over SSH; null for this machine's engine. */
  private final dev.reconcile.testing.TestSshd server;

  /** @param prefix starts the project's name, so that what a test made is found as its */
  WebProject(Path dir, String prefix, String bake, String drain) {
    this(dir, prefix, bake, drain, null);
  }

  /** A project on a server over SSH, its state and nginx in {@code dir/server}, nginx on {@link #listen}. */
  WebProject(
      Path dir, String prefix, String bake, String drain, dev.reconcile.testing.TestSshd server) {
    this.server = server;
    this.dir = dir;
    this.name = prefix + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    this.spec = dir.resolve("projects.yml");
    this.bake = bake;
    this.drain = drain;
  }

  /** A project with v1 applied and serving. */
  static WebProject atV1(Path dir, String prefix, String bake, String drain) throws IOException {
    return atV1(new WebProject(dir, prefix, bake, drain));
  }

  static WebProject atV1(WebProject web) throws IOException {
    web.write("v1");
    var first = web.apply();
    if (first.exitCode() != 0) {
      throw new AssertionError("deploying v1 failed: " + first.out() + first.err());
    }
    return web;
  }

  /** Where the fleet's state lives: the server's state_dir, or the checkout's. */
  Path stateDir() {
    return server == null ? dir.resolve(".reconcile") : dir.resolve("server");
  }

  void write(String version) throws IOException {
    if (server != null) {
      Files.writeString(
          spec,
          """
          version: 1
          platform:
            hosts:
              %s
          """.formatted(server.hostEntry("web-1", stateDir(), listen))
              + TestHosts.webProject(name, version)
                  .replace("    domains:", "    host: web-1\n    domains:"));
      return;
    }
    Files.writeString(spec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
        """.formatted(listen) + TestHosts.webProject(name, version));
  }

  CliRun apply() {
    return CliRun.of(applyArgs().toArray(String[]::new));
  }

  /** The apply's arguments after -f: what a separate process is given too. */
  List<String> applyArgs() {
    return new ArrayList<>(List.of(
        "-f",
        spec.toString(),
        "apply",
        "--yes",
        "--bake",
        bake,
        "--drain",
        drain,
        "--project",
        name));
  }

  CliRun run(String... args) {
    var all = new ArrayList<>(List.of("-f", spec.toString()));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  /** bin/reconcile as its own process, with extra environment, its output in {@code dir/LOG}. */
  Process launch(Map<String, String> env, String log, List<String> args) throws IOException {
    return Launched.start(env, dir.resolve(log), args);
  }

  /** Present when the site answers 200 with this version's page. */
  java.util.Optional<Boolean> serves(String version) {
    var answer = get();
    return answer.status() == 200 && answer.body().contains("version " + version)
        ? java.util.Optional.of(true)
        : java.util.Optional.empty();
  }

  HttpProbe.Answer get() {
    return HttpProbe.get("127.0.0.1", listen, "/", name + ".test", Duration.ofSeconds(5));
  }

  /** The newest snapshot's line of {@code reconcile history}. */
  String newestSnapshot() {
    var history = run("history", "--project", name).out();
    return history.lines().filter(l -> l.startsWith("  #")).reduce((a, b) -> b).orElse(history);
  }

  LoadLoop load() {
    return LoadLoop.start(listen, name + ".test");
  }

  void cleanUp() throws Exception {
    var pid = stateDir().resolve("nginx/logs/nginx.pid");
    if (server != null && Files.exists(pid)) {
      TestHosts.run("kill", "-QUIT", Files.readString(pid).strip());
    }
    run("nginx", "stop");
    TestHosts.removeProject(name);
  }
}
