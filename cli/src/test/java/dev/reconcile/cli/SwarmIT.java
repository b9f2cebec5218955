package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.probe.HttpProbe;
import dev.reconcile.testing.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Projects on a swarm host, on a real single-node swarm of this machine's engine (made for the
 * class with {@code docker swarm init --advertise-addr 127.0.0.1} when the engine is in none,
 * and left again afterwards): services created, updated by the engine under load, rolled back by
 * it, scaled, and found drifted when scaled by hand.
 */
class SwarmIT {
  private static boolean madeSwarm;

  @TempDir
  Path dir;

  private final int listen = TestPorts.reserve();
  private final String project =
      "rcsw" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);

  @BeforeAll
  static void swarm() throws Exception {
    var state =
        TestHosts.run("docker", "info", "--format", "{{.Swarm.LocalNodeState}}").strip();
    if (!state.equals("active")) {
      var init = TestHosts.run("docker", "swarm", "init", "--advertise-addr", "127.0.0.1");
      assertThat(init).as(init).contains("Swarm initialized");
      madeSwarm = true;
    }
  }

  /**
   * Tasks that end the moment the engine stops them (STOPSIGNAL SIGKILL): with no grace at all, a
   * route left on a replaced task fails at once, the harshest case for following the engine.
   */
  private static final List<String> PROMPT = List.of("v1", "v2");

  @BeforeAll
  static void promptImages() throws Exception {
    for (var version : PROMPT) {
      var built = TestHosts.run(
          "sh",
          "-c",
          "printf 'FROM reconcile-test/web:%s\\nSTOPSIGNAL SIGKILL\\n' \"$0\""
              + " | docker build -q -t \"reconcile-test/web:$0-prompt\" -",
          version);
      assertThat(built).as(built).contains("sha256:");
    }
  }

  @AfterAll
  static void leave() throws Exception {
    for (var version : PROMPT) {
      TestHosts.run("docker", "image", "rm", "reconcile-test/web:" + version + "-prompt");
    }
    if (madeSwarm) {
      TestHosts.run("docker", "swarm", "leave", "--force");
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    run("nginx", "stop");
    var services = TestHosts.run(
            "docker", "service", "ls", "-q", "--filter", "label=reconcile.project=" + project)
        .strip();
    if (!services.isEmpty()) {
      var argv = new ArrayList<>(List.of("docker", "service", "rm"));
      argv.addAll(List.of(services.split("\\s+")));
      TestHosts.run(argv.toArray(String[]::new));
    }
    TestHosts.run("docker", "network", "rm", project + "-production");
  }

  private void write(String version, int replicas) throws Exception {
    write(version, replicas, "{ path: /api/smoke, contains: \"smoke: ok\" }");
  }

  private void write(String version, int replicas, String smoke) throws Exception {
    Files.writeString(dir.resolve("projects.yml"), """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          hosts:
            # The test machine is loopback only; pre-flight's firewall check is its own test.
            cluster: { swarm: "unix:///var/run/docker.sock", task_ports: public }
        projects:
          %s:
            host: cluster
            domains: { production: %s.test }
            containers:
              web:
                image: "reconcile-test/web:%s"
                port: 8080
                replicas: %d
                resources: { cpus: 0.5, memory: 64m }
                health: { path: /health, interval: 1s, retries: 3 }
                smoke: [ %s ]
        """.formatted(
            listen, project, project, version, replicas, smoke));
  }

  private CliRun run(String... args) {
    var all = new ArrayList<>(List.of("-f", dir.resolve("projects.yml").toString()));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private CliRun apply() {
    return CliRun.of(applyArgs().toArray(String[]::new));
  }

  /** An apply with a short bake and no drain, as the tests here run it. */
  private List<String> applyArgs() {
    return List.of(
        "-f",
        dir.resolve("projects.yml").toString(),
        "apply",
        "--yes",
        "--bake",
        "1s",
        "--drain",
        "0s");
  }

  private void applied() {
    var applied = apply();
    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
  }

  private String served() {
    return HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5))
        .body();
  }

  private int running() throws Exception {
    var out = TestHosts.run(
            "docker",
            "service",
            "ps",
            "-q",
            "--filter",
            "desired-state=running",
            project + "-web-production")
        .strip();
    return out.isEmpty() ? 0 : out.split("\\s+").length;
  }

  @Test
  void aService_isCreated_servedThroughNginx_andApplyAgainIsANoop() throws Exception {
    write("v1", 1);
    var plan = run("plan");
    assertThat(plan.out())
        .contains("+ service:" + project + "/production/web")
        .contains("replicas 1");

    applied();

    assertThat(served()).contains("version v1");
    var again = run("plan", "--detailed-exitcode");
    assertThat(again.exitCode()).as(again.out()).isZero();
    // A service's output is its tasks', through the engine's service log API.
    var logs = run("logs", project, "--tail", "5");
    assertThat(logs.exitCode()).as(logs.err()).isZero();
    assertThat(run("exec", project, "web", "--", "true").err()).contains("is a swarm service");
    assertThat(TestHosts.run(
            "docker",
            "service",
            "inspect",
            "--format",
            "{{json .Spec.UpdateConfig}}",
            project + "-web-production"))
        .contains("\"Order\":\"start-first\"")
        .contains("\"FailureAction\":\"rollback\"");
    assertThat(TestHosts.run(
            "docker",
            "service",
            "inspect",
            "--format",
            "{{json .Spec.TaskTemplate.Resources.Limits}}",
            project + "-web-production"))
        .contains("\"NanoCPUs\":500000000")
        .contains("\"MemoryBytes\":67108864");
  }

  @Test
  void anUpdate_andARollback_byTheEngine_underLoad_failNoRequest() throws Exception {
    write("v1", 2);
    applied();
    var load = LoadLoop.start(listen, project + ".test");
    load.awaitAnswer("version v1");

    write("v2", 2);
    var updated = apply();
    load.awaitAnswer("version v2");
    // Back to the first snapshot: the same watched update, towards v1.
    var rollback =
        run("rollback", "--project", project, "--env", "production", "--to", "1", "--yes");
    load.stop();

    assertThat(updated.exitCode()).as(updated.out() + updated.err()).isZero();
    assertThat(updated.out())
        .contains("updated service " + project + "-web-production")
        // The bake ran while the engine watched the new tasks (its update monitor, 3 s here).
        .containsPattern(
            "smoke checks passed through nginx for 1\\.0 s \\(\\d+ rounds, 1\\.0 s of it while the engine "
                + "watched the new tasks\\)");
    assertThat(rollback.exitCode()).as(rollback.out() + rollback.err()).isZero();
    assertThat(load.failures()).isEmpty();
    assertThat(load.answers()).contains("version v2");
    assertThat(served()).contains("version v1");
  }

  /**
   * The crash matrix's row for {@code service-rolled}: an apply killed right after it told the
   * engine to update the service loses no request (the engine goes on with its own start-first
   * update), and the next apply converges, then has nothing to do.
   */
  @Test
  void anApplyKilledAfterTheServiceRolled_losesNoRequest_andTheNextApplyConverges()
      throws Exception {
    write("v1", 2);
    applied();
    var load = LoadLoop.start(listen, project + ".test");
    load.awaitAnswer("version v1");
    write("v2", 2);
    Launched.Killed killed;
    CliRun converged;
    try {
      killed = Launched.killedAfter("service-rolled", dir.resolve("killed.log"), applyArgs());
      converged = apply();
      load.awaitAnswer("version v2");
    } finally {
      load.stop();
    }

    assertThat(killed.exitCode()).as(killed.log()).isEqualTo(137);
    assertThat(converged.exitCode()).as(converged.out() + converged.err()).isZero();
    assertThat(load.failures()).as("failed requests through nginx").isEmpty();
    assertThat(served()).contains("version v2");
    assertThat(apply().out()).contains("Nothing to do");
    assertThat(run("history", "--project", project).out()).contains("web=reconcile-test/web:v2");
  }

  /**
   * A failure after the engine replaced every task (here the smoke checks through nginx, which
   * this spec makes fail on v2) puts the previous spec back: the engine then replaces the tasks
   * nginx routes to once more, and nginx must follow them as it did on the way forward, or it is
   * left routing to tasks that are gone until the engine's monitor ends.
   */
  @Test
  void aSmokeFailureAfterTheUpdate_putsTheServiceBack_underLoad_failingNoRequest()
      throws Exception {
    write("v1-prompt", 3);
    applied();
    var load = LoadLoop.start(listen, project + ".test");
    load.awaitAnswer("version v1");

    write("v2-prompt", 3, "{ path: /, contains: \"version v1\" }");
    CliRun failed;
    try {
      failed = apply();
    } finally {
      load.stop();
    }

    assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(1);
    assertThat(failed.out() + failed.err())
        .contains("the previous site serves again, with the tasks the engine put back");
    assertThat(load.failures()).as("failed requests through nginx").isEmpty();
    assertThat(load.answers()).contains("version v2");
    assertThat(served()).contains("version v1");
  }

  /**
   * SIGTERM while the engine replaces the tasks, right after nginx first followed them: the apply
   * stops watching, puts the previous spec back, follows the engine's way back with nginx, and
   * exits 1; no request fails on the way there, on the way back, or after.
   */
  @Test
  void aSigtermDuringTheEnginesUpdate_putsTheServiceBack_failingNoRequest() throws Exception {
    write("v1-prompt", 3);
    applied();
    var load = LoadLoop.start(listen, project + ".test");
    load.awaitAnswer("version v1");
    write("v2-prompt", 3);
    Launched.Killed termed;
    try {
      termed = Launched.signalledAfter("routing-changed", dir.resolve("termed.log"), applyArgs());
      // Traffic after the run too: nginx must serve the tasks the engine put back.
      load.awaitMoreAnswers(50);
    } finally {
      load.stop();
    }

    assertThat(termed.exitCode()).as(termed.log()).isEqualTo(1);
    assertThat(termed.log())
        .contains("stopped by SIGTERM")
        .contains("the previous site serves again, with the tasks the engine put back");
    assertThat(load.failures()).as("failed requests through nginx").isEmpty();
    assertThat(served()).contains("version v1");
    var next = apply();
    assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
    assertThat(served()).contains("version v2");
  }

  /**
   * kill -9 right after the engine was asked to update: it goes on without the apply, and nginx is
   * left on the old tasks, all of which the engine replaces. The next apply, run at once, finds the engine still rolling
   * the declared spec out and follows it to its end, moving nginx with the tasks: no request fails
   * through the kill, the follow, or after.
   */
  @Test
  void aKillDuringTheEnginesUpdate_theNextApplyFollowsTheEngine_failingNoRequest()
      throws Exception {
    write("v1-prompt", 3);
    applied();
    var load = LoadLoop.start(listen, project + ".test");
    load.awaitAnswer("version v1");
    write("v2-prompt", 3);
    Launched.Killed killed;
    CliRun next;
    try {
      killed = Launched.killedAfter("service-update-asked", dir.resolve("killed.log"), applyArgs());
      next = apply();
      // Until the engine is done too, whatever the apply did: the last old task is gone then.
      var until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!TestHosts.run(
                  "docker",
                  "service",
                  "inspect",
                  "-f",
                  "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}",
                  project + "-web-production")
              .strip()
              .equals("completed")
          && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      load.awaitMoreAnswers(50);
    } finally {
      load.stop();
    }

    assertThat(killed.exitCode()).as(killed.log()).isEqualTo(137);
    assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
    assertThat(next.out())
        .as(next.out())
        .contains("the engine is still rolling this spec out")
        .contains("following service " + project + "-web-production");
    assertThat(load.failures()).as("failed requests through nginx").isEmpty();
    assertThat(served()).contains("version v2");
    assertThat(run("plan", "--detailed-exitcode").exitCode()).isZero();
  }

  /**
   * The follow is an apply like any other: when the smoke checks then fail, the spec from before
   * the killed apply (the engine's PreviousSpec) is put back, and nginx follows it back.
   */
  @Test
  void aFollowedUpdateThatFailsItsSmokeChecks_putsBackTheSpecFromBeforeTheKill() throws Exception {
    write("v1-prompt", 3);
    applied();
    var load = LoadLoop.start(listen, project + ".test");
    load.awaitAnswer("version v1");
    write("v2-prompt", 3);
    CliRun next;
    try {
      var killed =
          Launched.killedAfter("service-update-asked", dir.resolve("killed.log"), applyArgs());
      assertThat(killed.exitCode()).as(killed.log()).isEqualTo(137);
      // The same spec (smoke checks are not part of it), checked for what v2 does not answer.
      write("v2-prompt", 3, "{ path: /, contains: \"version v1\" }");
      next = apply();
    } finally {
      load.stop();
    }

    assertThat(next.exitCode()).as(next.out() + next.err()).isEqualTo(1);
    assertThat(next.out() + next.err())
        .contains("following service " + project + "-web-production")
        .contains("the previous spec of service " + project + "-web-production was put back")
        .contains("the previous site serves again, with the tasks the engine put back");
    assertThat(load.failures()).as("failed requests through nginx").isEmpty();
    assertThat(served()).contains("version v1");
  }

  @Test
  void aNeverHealthyImage_isRolledBackByTheEngine_andReportedAsAFailedApply() throws Exception {
    write("v1", 1);
    applied();

    write("v3", 1);
    var failed = apply();

    assertThat(failed.exitCode()).as(failed.out()).isEqualTo(1);
    assertThat(failed.out() + failed.err())
        .contains("the engine rolled the update of " + project + "-web-production back");
    assertThat(served()).contains("version v1");
    assertThat(run("history", "--project", project).out()).contains("failed");
  }

  @Test
  void replicas_oneThreeOne_andAScaleByHand_isDrift() throws Exception {
    write("v1", 1);
    applied();
    write("v1", 3);
    var plan = run("plan");
    assertThat(plan.out())
        .contains("~ service:" + project + "/production/web")
        .contains("replicas 1 -> 3");
    applied();
    assertThat(running()).isEqualTo(3);
    write("v1", 1);
    applied();
    assertThat(running()).isEqualTo(1);

    TestHosts.run("docker", "service", "scale", "--detach", project + "-web-production=2");
    var drift = run("drift");
    assertThat(drift.exitCode()).as(drift.out()).isEqualTo(2);
    assertThat(drift.out()).contains("replicas");
    var healed = run("drift", "--heal", "--yes");
    assertThat(healed.exitCode()).as(healed.out() + healed.err()).isZero();
    assertThat(running()).isEqualTo(1);
    assertThat(served()).contains("version v1");
  }

  @Test
  void aProjectTakenOutOfTheSpec_losesItsServiceSiteAndNetwork() throws Exception {
    write("v1", 1);
    applied();
    var spec = dir.resolve("projects.yml");
    var text = Files.readString(spec);
    Files.writeString(spec, text.substring(0, text.indexOf("projects:")) + "projects: {}\n");

    var removed = apply();

    assertThat(removed.exitCode()).as(removed.out() + removed.err()).isZero();
    // The network goes only once the engine has stopped the service's tasks.
    assertThat(removed.out())
        .contains(
            "removed site file",
            "removed service " + project + "-web-production (its tasks stopped in",
            "and its network " + project + "-production",
            "applied " + project + "/production");
    assertThat(TestHosts.run(
            "docker", "service", "ls", "-q", "--filter", "name=" + project + "-web-production"))
        .isBlank();
    assertThat(TestHosts.run(
            "docker", "network", "ls", "-q", "--filter", "name=" + project + "-production"))
        .isBlank();
    assertThat(HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5))
            .body())
        .doesNotContain("version v1");
  }

  @Test
  void taskPortsOpenToTheWorld_areRefusedByPreflight_unlessDeclaredPublic() throws Exception {
    write("v1", 1);
    var spec = dir.resolve("projects.yml");
    Files.writeString(spec, Files.readString(spec).replace(", task_ports: public", ""));
    var rules = TestHosts.run("iptables", "-S", "DOCKER-USER");
    org.junit.jupiter.api.Assumptions.assumeFalse(
        rules.contains("-j DROP") || rules.contains("-j REJECT"),
        "this machine's firewall already filters the task ports");

    var refused = apply();

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out() + refused.err())
        .contains("pre-flight")
        .contains("DOCKER-USER")
        .contains("task_ports: public");
    assertThat(TestHosts.run(
            "docker", "service", "ls", "-q", "--filter", "label=reconcile.project=" + project))
        .isBlank();
  }

  @Test
  void aSwarmManagerOverSsh_runsTheServices_behindTheServersNginx() throws Exception {
    try (var sshd = dev.reconcile.testing.TestSshd.start()) {
      var serverNginx = TestPorts.reserve();
      var state = dir.resolve("server");
      var entry = sshd.hostEntry("manager", state, serverNginx);
      var spec = dir.resolve("projects.yml");
      for (var version : List.of("v1", "v2")) {
        write(version, 2);
        Files.writeString(
            spec,
            Files.readString(spec)
                .replace(
                    "cluster: { swarm: \"unix:///var/run/docker.sock\", task_ports: public }",
                    entry.substring(0, entry.length() - 2) + ", swarm: true, task_ports: public }")
                .replace("host: cluster", "host: manager"));
        var applied = apply();
        assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
        assertThat(HttpProbe.get(
                    "127.0.0.1", serverNginx, "/", project + ".test", Duration.ofSeconds(5))
                .body())
            .contains("version " + version);
      }
      assertThat(running()).isEqualTo(2);
      var pid = state.resolve("nginx/logs/nginx.pid");
      if (Files.exists(pid)) {
        TestHosts.run("kill", "-QUIT", Files.readString(pid).strip());
      }
    }
  }
}
