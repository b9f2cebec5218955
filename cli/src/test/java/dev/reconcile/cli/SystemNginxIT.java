package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.probe.HttpProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apply with {@code nginx: { mode: system }}: the tool writes site files into an nginx it does
 * not run and reloads it with the spec's own commands. The "system" nginx here is one the test
 * starts with a prefix of its own, so the test stays on loopback and never touches /etc/nginx.
 */
class SystemNginxIT {
  @TempDir
  Path dir;

  private final String project =
      "rs" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int listen = dev.reconcile.testing.TestPorts.reserve();
  private SystemNginx nginx;
  private Path prefix;
  private Path spec;

  @BeforeEach
  void startTheSystemNginx() throws Exception {
    nginx = SystemNginx.start(dir.resolve("system-nginx"), listen);
    prefix = nginx.prefix;
    spec = dir.resolve("projects.yml");
    write("v1");
  }

  @AfterEach
  void cleanUp() throws Exception {
    nginx.stop();
    TestHosts.removeProject(project);
  }

  private void write(String version) throws IOException {
    write(version, nginx.reloadCommand());
  }

  private void write(String version, String reloadCommand) throws IOException {
    Files.writeString(
        spec,
        """
        version: 1
        platform:
          nginx:
            mode: system
            conf_dir: system-nginx/conf.d
            listen: "127.0.0.1:%d"
            test_command: %s
            reload_command: %s
        """.formatted(listen, nginx.testCommand(), reloadCommand)
            + TestHosts.webProject(project, version));
  }

  private CliRun apply() {
    return CliRun.of(
        "-f",
        spec.toString(),
        "apply",
        "--yes",
        "--bake",
        "1s",
        "--drain",
        "1s",
        "--project",
        project);
  }

  private HttpProbe.Answer get() {
    return HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5));
  }

  @Test
  void apply_inSystemMode_installsTheSiteReloadsAndReplacesWithoutDroppingARequest()
      throws Exception {
    var first = apply();

    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    var site = prefix.resolve("conf.d/" + project + ".production.conf");
    assertThat(Files.readString(site))
        .contains("listen 127.0.0.1:" + listen + ";", "server_name " + project + ".test;");
    assertThat(get().body()).contains("version v1");
    assertThat(CliRun.of("-f", spec.toString(), "nginx", "status").err())
        .contains("the system's nginx is not reconcile's to show or stop");
    write("v2");
    var load = LoadLoop.start(listen, project + ".test");

    var second = apply();
    load.stop();

    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(load.failures()).as("failed requests").isEmpty();
    assertThat(load.answers()).contains("version v1", "version v2");
    assertThat(get().body()).contains("version v2");
    assertThat(apply().out()).contains("Nothing to do");
  }

  @Test
  void apply_whoseReloadCommandReloadsNothing_failsAtReloadAndPutsEverythingBack()
      throws Exception {
    write("v1", "[\"true\"]");

    var run = apply();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("step 'reload'", "does not serve the new site steadily");
    assertThat(prefix.resolve("conf.d/" + project + ".production.conf")).doesNotExist();
    assertThat(TestHosts.containers(project)).isEmpty();
  }

  @Test
  void apply_whoseReloadCommandHangs_isStoppedAtItsTimeoutAndSaysWhatItCouldNotUndo()
      throws Exception {
    // A marker in the argv finds the command's processes afterwards: none may be left.
    var marker = "600." + project.length();
    write("v1", "[sleep, \"" + marker + "\"]");

    var run = apply();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "'sleep " + marker + "' did not finish within 30 s and was killed",
            "ROLLBACK INCOMPLETE",
            "putting the previous site back");
    assertThat(prefix.resolve("conf.d/" + project + ".production.conf"))
        .as("the new site was taken out")
        .doesNotExist();
    // Whether nginx took up the new site before its reload hung is not known: the new slot stays
    // (said so) rather than be removed while nginx may route to it; the next apply removes it.
    assertThat(run.err())
        .contains(
            "removing " + project + "-web-production-blue", "kept: nginx may still route to it");
    assertThat(TestHosts.containers(project))
        .as("the new slot was kept")
        .containsExactly(project + "-web-production-blue");
    assertThat(TestHosts.run("pgrep", "-f", "sleep " + marker).strip())
        .as("no hung command left")
        .isEmpty();
  }

  @Test
  void apply_whenTheSystemConfigFailsItsTest_changesNothingAndSaysWhy() throws Exception {
    Files.writeString(
        prefix.resolve("conf.d/by-hand.conf"),
        "server { listen 127.0.0.1:" + listen
            + "; server_name by-hand.test; bogus_directive on; }\n");

    var run = apply();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("pre-flight failed", "fails nginx -t", "unknown directive \"bogus_directive\"");
    assertThat(TestHosts.containers(project)).isEmpty();
    assertThat(prefix.resolve("conf.d/" + project + ".production.conf")).doesNotExist();
  }
}
