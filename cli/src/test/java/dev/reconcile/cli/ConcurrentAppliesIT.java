package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.probe.HttpProbe;
import dev.reconcile.testing.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two applies of different projects from one state directory, at the same time, round after
 * round (5 by default; -Dreconcile.concurrent.rounds=20 for more): both succeed every time, no
 * two slots share a port, and nginx serves each project its own new version.
 */
class ConcurrentAppliesIT {
  @TempDir
  Path dir;

  private final String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36);
  private final String a = "rca" + suffix;
  private final String b = "rcb" + suffix;
  private final int listen = TestPorts.reserve();

  @AfterEach
  void cleanUp() throws Exception {
    CliRun.of("-f", dir.resolve("projects.yml").toString(), "nginx", "stop");
    TestHosts.removeProject(a);
    TestHosts.removeProject(b);
  }

  @Test
  void applies_ofTwoProjectsAtOnce_neverCollide() throws Exception {
    var rounds = Integer.getInteger("reconcile.concurrent.rounds", 5);
    for (int round = 0; round < rounds; round++) {
      var version = round % 2 == 0 ? "v1" : "v2";
      Files.writeString(
          dir.resolve("projects.yml"),
          "version: 1\nplatform:\n  nginx: { listen: \"127.0.0.1:"
              + listen + "\" }\n" + TestHosts.webProject(a, version)
              + TestHosts.webProject(b, version).replaceFirst("projects:\n", ""));
      var first = start(a, round);
      var second = start(b, round);

      assertThat(first.waitFor(120, TimeUnit.SECONDS) && second.waitFor(120, TimeUnit.SECONDS))
          .isTrue();
      assertThat(first.exitValue()).as(log(a, round)).isZero();
      assertThat(second.exitValue()).as(log(b, round)).isZero();
      for (var project : new String[] {a, b}) {
        assertThat(HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5))
                .body())
            .as("round " + round + ", " + project)
            .contains("version " + version);
      }
      var ports = TestHosts.run(
              "docker", "ps", "--format", "{{.Ports}}", "--filter", "label=reconcile.project=" + a)
          + TestHosts.run(
              "docker", "ps", "--format", "{{.Ports}}", "--filter", "label=reconcile.project=" + b);
      var lines = ports.strip().lines().toList();
      assertThat(new HashSet<>(lines)).as("one port per slot: " + ports).hasSameSizeAs(lines);
    }
  }

  private Process start(String project, int round) throws Exception {
    return new ProcessBuilder(
            Path.of("..").toAbsolutePath().normalize().resolve("bin/reconcile").toString(),
            "-f",
            dir.resolve("projects.yml").toString(),
            "apply",
            "--yes",
            "--bake",
            "500ms",
            "--drain",
            "0s",
            "--project",
            project)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(project + "-" + round + ".log").toFile())
        .start();
  }

  private String log(String project, int round) throws Exception {
    return Files.readString(dir.resolve(project + "-" + round + ".log"));
  }
}
