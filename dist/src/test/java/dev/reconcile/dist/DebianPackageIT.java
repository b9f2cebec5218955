package dev.reconcile.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb as a server installs it: apt installs it on this machine, and the commands run from
 * PATH with the runtime it carries; removed again after.
 */
class DebianPackageIT {
  private static final Path TARGET = Path.of("target").toAbsolutePath();

  @TempDir
  Path dir;

  record Run(int exitCode, String out) {}

  private static Run run(Path cwd, String... command) throws Exception {
    var process = new ProcessBuilder(command)
        .directory(cwd.toFile())
        .redirectErrorStream(true)
        .start();
    var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS))
        .as(String.join(" ", command))
        .isTrue();
    return new Run(process.exitValue(), out);
  }

  private static Path deb() throws IOException {
    try (var files = Files.list(TARGET)) {
      return files
          .filter(f -> f.getFileName().toString().matches("reconcile_.*_amd64\\.deb"))
          .findFirst()
          .orElseThrow(
              () -> new AssertionError("no .deb in " + TARGET + ": mvn package builds it"));
    }
  }

  @BeforeAll
  static void install() throws Exception {
    // No recommends: the engine and nginx this machine has are not apt's (and no network is
    // needed).
    var installed =
        run(TARGET, "apt-get", "install", "-y", "--no-install-recommends", deb().toString());
    assertThat(installed.exitCode()).as(installed.out()).isZero();
  }

  @AfterAll
  static void remove() throws Exception {
    var removed = run(TARGET, "apt-get", "remove", "-y", "reconcile");
    assertThat(removed.exitCode()).as(removed.out()).isZero();
    assertThat(Path.of("/usr/bin/reconcile")).doesNotExist();
  }

  @Test
  void theInstalledCommand_validatesAndPlans_fromPath() throws Exception {
    assertThat(Path.of("/usr/bin/reconcile")).isSymbolicLink();
    var version = run(dir, "reconcile", "--version");
    assertThat(version.exitCode()).as(version.out()).isZero();
    assertThat(version.out()).contains("reconcile");

    var spec = dir.resolve("projects.yml");
    Files.writeString(spec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:1" }
        projects:
          rcdeb:
            domains: { production: rcdeb.test }
            containers:
              web: { image: "reconcile-test/web:v1", port: 8080, health: { path: /health } }
        """);
    var validate = run(dir, "reconcile", "validate", "-f", spec.toString());
    assertThat(validate.exitCode()).as(validate.out()).isZero();
    var plan = run(dir, "reconcile", "plan", "-f", spec.toString(), "--detailed-exitcode");
    assertThat(plan.exitCode()).as(plan.out()).isEqualTo(2);
    assertThat(plan.out()).contains("container:rcdeb/production/web", "to create");

    var help = run(dir, "reconcile", "--help");
    assertThat(help.out()).contains("completion", "apply");
  }

  @Test
  void thePackage_installsCompletionAndTheWatchUnit() throws Exception {
    assertThat(Files.readString(Path.of("/usr/share/bash-completion/completions/reconcile")))
        .contains("complete -F", "apply");
    var unit = Path.of("/lib/systemd/system/reconcile-watch@.service");
    assertThat(Files.readString(unit))
        .contains("ExecStart=/usr/bin/reconcile -f /etc/reconcile/%i/projects.yml watch");
    var files = run(dir, "dpkg", "-L", "reconcile");
    assertThat(files.out())
        .contains(
            "/usr/lib/reconcile/lib/runtime/bin/java", "/usr/lib/reconcile/lib/reconcile.jar");
    assertThat(List.of(files.out().split("\n")))
        .noneMatch(f -> f.contains("SNAPSHOT") && f.endsWith(".jar"));
  }
}
