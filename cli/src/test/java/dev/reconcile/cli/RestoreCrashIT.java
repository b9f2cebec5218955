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
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A volume restore is all or nothing: killed (kill -9) after each of its steps, the volume is the
 * old one or the restored one, never half of either; a volume that may be half written keeps its
 * containers stopped and every apply refuses to start them, saying to run the restore again; and
 * running it again finishes it, with every file as backed up.
 */
class RestoreCrashIT {
  @TempDir
  Path dir;

  private final String project =
      "rcrst" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int listen = TestPorts.reserve();

  private void write() throws Exception {
    Files.writeString(dir.resolve("projects.yml"), """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
        projects:
          %s:
            domains: { production: %s.test }
            containers:
              web:
                image: "reconcile-test/web:v1"
                port: 8080
                health: { path: /health, interval: 1s, retries: 3 }
                volumes: { data: /data }
                update: recreate
            backup: { volumes: [data], keep: 10 }
        """.formatted(listen, project, project));
  }

  private CliRun run(String... args) {
    var all = new ArrayList<>(List.of("-f", dir.resolve("projects.yml").toString()));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private String container() throws Exception {
    return TestHosts.containers(project).getFirst();
  }

  private String exec(String script) throws Exception {
    return TestHosts.run("docker", "exec", container(), "sh", "-c", script);
  }

  private String contents() throws Exception {
    return exec("cd /data && find . -type f | sort | while read f; do sha256sum \"$f\"; done");
  }

  /** The volume's files, read by a helper (the container may be stopped). */
  private String volumeFiles() throws Exception {
    return TestHosts.run(
        "docker",
        "run",
        "--rm",
        "-v",
        project + "-production-data:/data",
        "reconcile-test/web:v1",
        "sh",
        "-c",
        "cd /data && find . -type f | sort | while read f; do sha256sum \"$f\"; done");
  }

  @AfterEach
  void cleanUp() throws Exception {
    run("nginx", "stop");
    TestHosts.removeProject(project);
    for (var volume :
        List.of(project + "-production-data", project + "-production-data-restoring")) {
      TestHosts.run("docker", "volume", "rm", "-f", volume);
    }
    var tags = TestHosts.run(
            "docker",
            "images",
            "--format",
            "{{.Repository}}:{{.Tag}}",
            "reconcile-backup/" + project + "-web")
        .strip();
    for (var tag : tags.isEmpty() ? List.<String>of() : List.of(tags.split("\n"))) {
      TestHosts.run("docker", "rmi", tag);
    }
  }

  @ParameterizedTest(name = "kill -9 after {0}")
  @ValueSource(
      strings = {"restore-staged", "restore-backed-up", "restore-swapping", "restore-swapped"})
  void aRestoreKilledAtAnyStep_leavesNoHalfVolumeInUse_andRunningItAgainFinishesIt(String step)
      throws Exception {
    write();
    assertThat(run("apply", "--yes", "--bake", "0s", "--drain", "0s").exitCode())
        .isZero();
    exec(
        "mkdir -p /data/sub && echo backed-up > /data/sub/a.txt"
            + " && dd if=/dev/urandom of=/data/big.dat bs=1M count=4 2>/dev/null && echo hidden > /data/.dot");
    var before = contents();
    var taken = run("backup", "run", "--project", project);
    assertThat(taken.exitCode()).as(taken.out() + taken.err()).isZero();
    var m = Pattern.compile("(" + project + "-production-\\d{8}-\\d{6}-[0-9a-f]{4})")
        .matcher(taken.out());
    assertThat(m.find()).as(taken.out()).isTrue();
    var id = m.group(1);
    exec("rm -rf /data/* /data/.dot && echo after > /data/written-after.txt");
    var after = contents();

    var argv = new ArrayList<>(List.of(
        Path.of("..").toAbsolutePath().normalize().resolve("bin/reconcile").toString(),
        "-f",
        dir.resolve("projects.yml").toString(),
        "backup",
        "restore",
        id,
        "--yes"));
    var command = new ProcessBuilder(argv)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("killed.log").toFile());
    command.environment().put("RECONCILE_TEST_KILL_AFTER", step);
    var killed = command.start();
    assertThat(killed.waitFor(180, TimeUnit.SECONDS)).isTrue();
    var log = Files.readString(dir.resolve("killed.log"));
    assertThat(killed.exitValue()).as(log).isEqualTo(137);

    var halfWritten = step.equals("restore-swapping") || step.equals("restore-swapped");
    var volume = volumeFiles();
    if (halfWritten) {
      // The app is stopped, and nothing starts it on what may be half a volume.
      assertThat(TestHosts.run("docker", "inspect", "-f", "{{.State.Running}}", container())
              .strip())
          .isEqualTo("false");
      var refused = run("apply", "--yes", "--bake", "0s", "--drain", "0s");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.out() + refused.err())
          .contains(
              "a restore of backup " + id, "may be half written", "reconcile backup restore " + id);
      assertThat(TestHosts.run("docker", "inspect", "-f", "{{.State.Running}}", container())
              .strip())
          .isEqualTo("false");
      assertThat(run("status").out()).contains("did not finish");
    } else {
      // The volume was never touched and the app never stopped.
      assertThat(volume).as("the volume as it was").isEqualTo(after);
      assertThat(HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5))
              .status())
          .isEqualTo(200);
    }
    assertThat(volume).as("never half of both").isIn(before, after, "");

    var again = run("backup", "restore", id, "--yes");
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    assertThat(contents()).isEqualTo(before);
    assertThat(HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5))
            .status())
        .isEqualTo(200);
    assertThat(run("status").out()).doesNotContain("did not finish");
    assertThat(TestHosts.run(
            "docker",
            "volume",
            "ls",
            "-q",
            "--filter",
            "name=" + project + "-production-data-restoring"))
        .isBlank();
  }
}
