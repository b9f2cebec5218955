package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/reconcile, run as users run it: a separate process on the built artifact. */
class LauncherIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  record Result(int exitCode, String out, String err) {}

  static Result launch(String... args) throws IOException, InterruptedException {
    var command = new ArrayList<>(List.of(ROOT.resolve("bin/reconcile").toString()));
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).directory(ROOT.toFile()).start();
    process.getOutputStream().close();
    var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    var err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS))
        .as("bin/reconcile finished")
        .isTrue();
    return new Result(process.exitValue(), out, err);
  }

  @Test
  void version_runsTheBuiltJar() throws Exception {
    var result = launch("--version");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("reconcile 0.");
    assertThat(result.err()).doesNotContain("building");
  }

  @Test
  void validate_examplesAndCorpus_exitCodesAsDocumented() throws Exception {
    var ok = launch("validate", "-f", "specs-examples/filter-ical.yml");
    var bad = launch("validate", "-f", "core/src/test/resources/invalid/ten_mistakes/projects.yml");

    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err().lines().filter(l -> l.contains(": error: "))).hasSize(10);
  }

  /** The whole process plans against the real local engine: a new project is all creates. */
  @Test
  void plan_newProjectOnTheRealEngine_exitsTwoListingCreates(@TempDir Path dir) throws Exception {
    var project = "rl" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    var spec = dir.resolve("projects.yml");
    Files.writeString(spec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:18480" }
        projects:
          %s:
            domains: { production: %s.test }
            containers:
              web: { image: "reconcile-test/web:v1", port: 8080 }
        """.formatted(project, project));

    var result = launch(
        "plan", "-f", spec.toString(), "--project", project, "--detailed-exitcode", "--no-color");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
    assertThat(result.out())
        .contains(
            "+ container:" + project + "/production/web",
            "+ site:" + project + "/production",
            "Plan: 2 to create");
  }
}
