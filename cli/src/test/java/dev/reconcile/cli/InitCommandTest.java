package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reconcile init: a first projects.yml that validates, or nothing written and why. */
class InitCommandTest {
  @TempDir
  Path dir;

  private Path spec() {
    return dir.resolve("projects.yml");
  }

  @Test
  void fromFlags_writesACommentedFileThatValidates() throws Exception {
    var run = CliRun.of(
        "-f",
        spec().toString(),
        "init",
        "--project",
        "shop",
        "--image",
        "ghcr.io/acme/shop:1.4.2",
        "--port",
        "3000",
        "--domain",
        "production=shop.example.com",
        "--domain",
        "staging=staging.shop.example.com",
        "--health",
        "/health");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Wrote", "reconcile plan");
    var text = Files.readString(spec());
    assertThat(text)
        .contains(
            "  shop:",
            "production: \"shop.example.com\"",
            "staging: \"staging.shop.example.com\"",
            "image: \"ghcr.io/acme/shop:1.4.2\"",
            "port: 3000",
            "health: { path: \"/health\" }",
            "# backup:");
    var validate = CliRun.of("-f", spec().toString(), "validate");
    assertThat(validate.exitCode()).as(validate.out() + validate.err()).isZero();
  }

  @Test
  void anExistingFile_isNotReplaced_withoutForce() throws Exception {
    Files.writeString(spec(), "mine\n");

    var run = CliRun.of(
        "-f", spec().toString(), "init", "--image", "nginx:1.27", "--domain", "production=a.test");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("exists; nothing was written", "--force");
    assertThat(Files.readString(spec())).isEqualTo("mine\n");
    assertThat(CliRun.of(
                "-f",
                spec().toString(),
                "init",
                "--project",
                "a",
                "--image",
                "nginx:1.27",
                "--domain",
                "production=a.test",
                "--force")
            .exitCode())
        .isZero();
  }

  @Test
  void withoutATerminal_missingFlagsAreNamed_andNothingIsWritten() {
    var run = CliRun.of("-f", spec().toString(), "init", "--project", "shop");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("needs --image and --domain when it cannot ask");
    assertThat(spec()).doesNotExist();
  }

  @Test
  void aFlagTheSpecRefuses_isSaidWithItsLine_andNothingIsWritten() {
    var run = CliRun.of(
        "-f",
        spec().toString(),
        "init",
        "--project",
        "Shop_1",
        "--image",
        "nginx:1.27",
        "--domain",
        "production=shop.test");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("projects.yml:", "Nothing was written");
    assertThat(spec()).doesNotExist();
  }
}
