package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run handed to the running controller (bin/reconcile beside a real {@code reconcile watch}): it
 * is the client's run in all but the process. Its output and exit code are a local run's, it reads
 * the client's environment and directory, its warnings go to the client, and the client's SIGTERM
 * rolls its apply back.
 */
class HandoffIT {
  @TempDir
  Path dir;

  private WebProject web;
  private WatchProcess watch;

  @BeforeEach
  void start() throws Exception {
    web = new WebProject(dir, "rcho", "0s", "0s");
    write("v1");
    // The controller is started from elsewhere and names the spec by its absolute path: the
    // clients below name it relative to their own directory.
    watch = WatchProcess.report(web);
    watch.await(
        "the controller to take runs",
        Duration.ofSeconds(60),
        () -> Optional.of(watch.said())
            .filter(s -> s.contains("'apply --yes' and 'rollback --yes' of")));
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (watch != null) {
      watch.close();
    }
    web.cleanUp();
  }

  /** The test project, its container's GREETING read from the environment of the run. */
  private void write(String version) throws IOException {
    Files.writeString(web.spec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          notify: { webhook: "${RCHO_HOOK}" }
        projects:
          %s:
            domains: { production: %s.test }
            containers:
              web:
                image: "reconcile-test/web:%s"
                port: 8080
                env: { GREETING: "${RCHO_GREETING}" }
                health: { path: /health, interval: 1s, retries: 3 }
        """.formatted(web.listen, web.name, web.name, version));
  }

  /** bin/reconcile -f projects.yml ARGS, run in the project's folder with {@code env} added. */
  private Process client(Map<String, String> env, String log, String... args) throws IOException {
    var argv = new ArrayList<>(List.of(
        Path.of("..").toAbsolutePath().normalize().resolve("bin/reconcile").toString(),
        "-f",
        "projects.yml"));
    argv.addAll(List.of(args));
    var command = new ProcessBuilder(argv)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(log).toFile());
    command.environment().putAll(env);
    return command.start();
  }

  private record Ended(int code, String said) {}

  private Ended ran(Map<String, String> env, String log, String... args) throws Exception {
    var process = client(env, log, args);
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the run ended").isTrue();
    return new Ended(process.exitValue(), Files.readString(dir.resolve(log)));
  }

  private long handed() {
    return watch.said().lines().filter(l -> l.contains("handoff: ran ")).count();
  }

  @Test
  void aHandedPlanApplyAndRollback_areTheClientsRun_inOutputExitCodeEnvironmentAndDirectory()
      throws Exception {
    var local =
        ran(Map.of("RECONCILE_HANDOFF", "off"), "local-plan.log", "plan", "--detailed-exitcode");
    assertThat(handed()).as("a run with the handoff turned off stays local").isZero();
    var plan = ran(Map.of(), "handed-plan.log", "plan", "--detailed-exitcode");
    assertThat(handed()).as("the controller ran the plan: " + watch.said()).isEqualTo(1);
    assertThat(plan).as("the same output and exit code as the local plan").isEqualTo(local);
    assertThat(plan.code()).isEqualTo(ExitCodes.CHANGES);

    // The controller has no RCHO_GREETING: the apply could only start the container with the
    // client's. The saved plan lands in the client's directory, not the controller's.
    var greeting = Map.of("RCHO_GREETING", "hello from the client");
    var saved = ran(greeting, "saved-plan.log", "plan", "--out", "saved.json");
    assertThat(saved.code()).as(saved.said()).isZero();
    assertThat(dir.resolve("saved.json")).exists();
    var apply = ran(
        greeting,
        "handed-apply.log",
        "apply",
        "saved.json",
        "--yes",
        "--bake",
        "0s",
        "--drain",
        "0s");
    assertThat(apply.code()).as(apply.said()).isZero();
    assertThat(handed()).as(watch.said()).isEqualTo(3);
    assertThat(web.serves("v1")).isPresent();
    var env = TestHosts.run(
        "docker",
        "inspect",
        "--format",
        "{{range .Config.Env}}{{println .}}{{end}}",
        TestHosts.containers(web.name).getFirst());
    assertThat(env).contains("GREETING=hello from the client");
    assertThat(apply.said())
        .doesNotContain("hello from the client")
        .as("what the run could not do beside its output is said to its caller")
        .contains("platform.notify.webhook needs RCHO_HOOK, which is not set");

    var after = ran(
        Map.of("RCHO_GREETING", "hello from the client"),
        "again.log",
        "plan",
        "--detailed-exitcode");
    assertThat(after.code()).as(after.said()).isZero();

    // A rollback asks nothing with --yes: handed too, and it takes the client's variables as well.
    write("v2");
    var v2 = ran(greeting, "v2.log", "apply", "--yes", "--bake", "0s", "--drain", "0s");
    assertThat(v2.code()).as(v2.said()).isZero();
    assertThat(web.serves("v2")).isPresent();
    var back = ran(
        greeting,
        "rollback.log",
        "rollback",
        "--project",
        web.name,
        "--env",
        "production",
        "--yes");
    assertThat(back.code()).as(back.said()).isZero();
    assertThat(web.serves("v1")).as(back.said()).isPresent();
    assertThat(watch.said()).contains("handoff: ran '-f projects.yml rollback --project");
  }

  @Test
  void aSigtermToTheClient_rollsTheHandedApplyBack_andTheOldVersionServes() throws Exception {
    var first = ran(Map.of("RCHO_GREETING", "hi"), "v1.log", "apply", "--yes", "--bake", "0s");
    assertThat(first.code()).as(first.said()).isZero();
    write("v2");
    var apply = client(
        Map.of("RCHO_GREETING", "hi"),
        "v2.log",
        "apply",
        "--yes",
        "--bake",
        "120s",
        "--drain",
        "0s");
    // Past its switch, the new version serves for the bake: the last moment a rollback has work.
    watch.await("the handed apply's switch", Duration.ofSeconds(120), () -> {
      try {
        return Optional.of(Files.readString(dir.resolve("v2.log")))
            .filter(s -> s.contains("traffic goes to the new slots"));
      } catch (IOException e) {
        return Optional.empty();
      }
    });
    assertThat(web.serves("v2")).isPresent();
    apply.destroy(); // SIGTERM
    assertThat(apply.waitFor(120, TimeUnit.SECONDS)).as("the client ended").isTrue();
    var said = Files.readString(dir.resolve("v2.log"));
    assertThat(apply.exitValue()).as(said).isEqualTo(ExitCodes.ERROR);
    assertThat(said).contains("SIGTERM: stopping at the next step", "rolled back: ");
    assertThat(web.serves("v1")).as("the previous version serves again").isPresent();
    assertThat(watch.said()).contains("handoff: ran '-f projects.yml apply --yes --bake 120s");
    assertThat(TestHosts.containers(web.name)).hasSize(1);
  }
}
