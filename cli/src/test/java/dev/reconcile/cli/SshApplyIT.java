package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.probe.HttpProbe;
import dev.reconcile.testing.TestPorts;
import dev.reconcile.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server over SSH, end to end: a real sshd the test starts on 127.0.0.1 with its own keys, in
 * front of this machine's engine and an nginx of the "server's" own (its state_dir and port).
 * Docker is reached through dial-stdio over the connection, site files by SFTP, probes through
 * forwards: nothing is opened to the network.
 */
class SshApplyIT {
  @RegisterExtension
  static final TestSshd sshd = TestSshd.perClass();

  @TempDir
  Path dir;

  private final String project =
      "rcssh" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int localNginx = TestPorts.reserve();
  private final int remoteNginx = TestPorts.reserve();
  private Path spec;
  private Path remoteState;

  @BeforeEach
  void paths() {
    spec = dir.resolve("projects.yml");
    remoteState = dir.resolve("server");
  }

  private void write(String version) throws Exception {
    Files.writeString(
        spec,
        """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          hosts:
            %s
        """.formatted(localNginx, sshd.hostEntry("web-2", remoteState, remoteNginx))
            + TestHosts.webProject(project, version)
                .replace("    domains:", "    host: web-2\n    domains:"));
  }

  private CliRun run(String... args) {
    var all = new java.util.ArrayList<>(java.util.List.of("-f", spec.toString()));
    all.addAll(java.util.List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private CliRun apply() {
    return run("apply", "--yes", "--bake", "1s", "--drain", "1s", "--project", project);
  }

  private HttpProbe.Answer get(int port) {
    return HttpProbe.get("127.0.0.1", port, "/", project + ".test", Duration.ofSeconds(5));
  }

  @AfterEach
  void cleanUp() throws Exception {
    // The server's nginx: stopped by its pid file, as its administrator would.
    var pid = remoteState.resolve("nginx/logs/nginx.pid");
    if (Files.exists(pid)) {
      TestHosts.run("kill", "-QUIT", Files.readString(pid).strip());
    }
    run("nginx", "stop");
    TestHosts.removeProject(project);
  }

  @Test
  void planApplyUnderLoadAndRollback_overSsh_dropNothing() throws Exception {
    write("v1");

    var plan = run("plan", "--detailed-exitcode", "--project", project);
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(2);
    assertThat(plan.out()).contains("+ container:" + project + "/production/web");

    var first = apply();
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(get(remoteNginx).body()).contains("version v1");
    assertThat(Files.exists(remoteState.resolve("nginx/sites"))).isTrue();
    assertThat(get(localNginx).answered() && get(localNginx).status() == 200)
        .as("the site is served by the server's nginx, not this machine's")
        .isFalse();
    var again = run("plan", "--detailed-exitcode", "--project", project);
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    // logs, the access log and exec work the same over SSH: the server's engine, log and docker.
    // (busybox httpd prints nothing: the call's success over the connection is what is shown)
    var logs = run("logs", project, "--tail", "5");
    assertThat(logs.exitCode()).as(logs.err()).isZero();
    var access = run("logs", project, "--access", "--tail", "5");
    assertThat(access.exitCode()).as(access.err()).isZero();
    assertThat(access.out()).contains(" 200 GET / ", "-> web/blue");
    assertThat(run("exec", project, "web", "--", "sh", "-c", "[ -f /www/health ] && exit 6")
            .exitCode())
        .isEqualTo(6);

    write("v2");
    var load = LoadLoop.start(remoteNginx, project + ".test");
    var second = apply();
    load.awaitAnswer("version v2");
    load.stop();
    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(load.failures()).as("failed requests through the server's nginx").isEmpty();
    assertThat(load.answers()).hasSizeGreaterThan(20).contains("version v1", "version v2");

    var rollbackLoad = LoadLoop.start(remoteNginx, project + ".test");
    var rollback = run("rollback", "--project", project, "--env", "production", "--yes");
    rollbackLoad.stop();
    assertThat(rollback.exitCode()).as(rollback.out() + rollback.err()).isZero();
    assertThat(rollbackLoad.failures())
        .as("failed requests during the rollback")
        .isEmpty();
    assertThat(get(remoteNginx).body()).contains("version v1");

    // Taken out of the spec: its remains go from the server it ran on, site and container, even
    // with this machine's engine declared first.
    var text = Files.readString(spec);
    Files.writeString(
        spec,
        text.substring(0, text.indexOf("projects:"))
                .replace(
                    "  hosts:\n",
                    "  hosts:\n    local: { docker: \"unix:///var/run/docker.sock\" }\n")
            + "projects: {}\n");
    var removed = run("apply", "--yes", "--bake", "0s", "--drain", "0s");
    assertThat(removed.exitCode()).as(removed.out() + removed.err()).isZero();
    assertThat(removed.out())
        .contains("removed site file " + remoteState.resolve("nginx/sites"), "removed container");
    assertThat(remoteState.resolve("nginx/sites/" + project + ".production.conf"))
        .doesNotExist();
    assertThat(get(remoteNginx).body()).doesNotContain("version v1");
    assertThat(TestHosts.containers(project)).isEmpty();
  }

  @Test
  void unreachableServer_isNamedWithWhy_whileTheOtherServerStillDeploys() throws Exception {
    var other = project + "b";
    var closedPort = TestPorts.reserve();
    Files.writeString(
        spec,
        """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          hosts:
            %s
            web-3: { ssh: "deploy@127.0.0.1:%d", identity: "%s", known_hosts: "%s" }
        """.formatted(
                    localNginx,
                    sshd.hostEntry("web-2", remoteState, remoteNginx),
                    closedPort,
                    sshd.clientKey,
                    sshd.knownHosts)
            + TestHosts.webProject(project, "v1")
                .replace("    domains:", "    host: web-2\n    domains:")
            + TestHosts.webProject(other, "v1")
                .replace("projects:\n", "")
                .replace("    domains:", "    host: web-3\n    domains:"));

    var plan = run("plan");
    assertThat(plan.exitCode())
        .as("a plan that leaves a host out is not a whole plan")
        .isEqualTo(1);
    assertThat(plan.out())
        .contains("+ container:" + project + "/production/web")
        .doesNotContain(other + "/production");
    assertThat(plan.err())
        .contains(
            "host web-3 was not reached; its projects (" + other + ") not planned",
            "cannot connect to deploy@127.0.0.1:" + closedPort,
            "Connection refused");

    var apply = run("apply", "--yes", "--bake", "0s", "--drain", "0s");
    assertThat(apply.exitCode()).as("not everything was applied").isEqualTo(1);
    assertThat(apply.err()).contains("host web-3 was not reached");
    assertThat(apply.out()).as(apply.err()).contains("applied " + project + "/production");
    assertThat(get(remoteNginx).body()).contains("version v1");
  }

  @Test
  void planOverSeveralHosts_saysHowManyChangesEachGets() throws Exception {
    var local = project + "l";
    Files.writeString(
        spec,
        """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          hosts:
            local: { docker: "unix:///var/run/docker.sock" }
            %s
        """.formatted(localNginx, sshd.hostEntry("web-2", remoteState, remoteNginx))
            + TestHosts.webProject(project, "v1")
                .replace("    domains:", "    host: web-2\n    domains:")
            + TestHosts.webProject(local, "v1")
                .replace("projects:\n", "")
                .replace("    domains:", "    host: local\n    domains:"));

    var plan = run("plan", "--project", project, "--project", local);

    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
    assertThat(plan.out()).contains("By host: local 2 changes, web-2 2 changes.");
  }
}
