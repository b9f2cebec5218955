package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reconcile import compose: a projects.yml draft that validates and an env file only its owner
 * reads, or nothing written and why.
 */
class ImportCommandTest {
  @TempDir
  Path dir;

  private static final String COMPOSE = """
      name: shop
      services:
        web:
          image: ghcr.io/acme/shop:1.4.2
          ports: ["8080:3000"]
          environment:
            DATABASE_URL: postgres://shop:hunter2-hunter2@db:5432/shop
          depends_on: [db]
        db:
          image: postgres:16
          environment: [POSTGRES_PASSWORD=hunter2-hunter2, POSTGRES_USER=shop]
          volumes: ["pgdata:/var/lib/postgresql/data"]
      volumes:
        pgdata: {}
      """;

  @Test
  void aComposeFile_becomesADraftThatValidates_withItsSecretsInAPrivateEnvFile() throws Exception {
    var compose = Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE);
    var spec = dir.resolve("projects.yml");

    var run = CliRun.of(
        "-f",
        spec.toString(),
        "import",
        "compose",
        compose.toString(),
        "--domain",
        "production=shop.example.com");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains(
            "Wrote " + spec + ": 2 container(s) (web, db)",
            "Wrote reconcile.env (mode 0600): 2 value(s)",
            "reconcile plan");
    var text = Files.readString(spec);
    assertThat(text).doesNotContain("hunter2").contains("DATABASE_URL: \"${DATABASE_URL}\"");
    assertThat(PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve("reconcile.env"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spec)))
        .isEqualTo("rw-r--r--");
    var validate = CliRun.of("-f", spec.toString(), "validate");
    assertThat(validate.exitCode()).as(validate.out() + validate.err()).isZero();
  }

  @Test
  void anExistingProjectsYml_isNotReplaced_withoutForce() throws Exception {
    var compose = Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE);
    var spec = Files.writeString(dir.resolve("projects.yml"), "mine\n");

    var run = CliRun.of("-f", spec.toString(), "import", "compose", compose.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("exists; nothing was written");
    assertThat(Files.readString(spec)).isEqualTo("mine\n");
    assertThat(dir.resolve("reconcile.env")).doesNotExist();
  }

  @Test
  void aBrokenComposeFile_isNamedAtItsLine_andNothingIsWritten() throws Exception {
    var compose = Files.writeString(
        dir.resolve("docker-compose.yml"), "services:\n  web:\n" + "    ports: [\"80\"]\n");
    var spec = dir.resolve("projects.yml");

    var run = CliRun.of("-f", spec.toString(), "import", "compose", compose.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("service 'web' has neither image nor build", "nothing was written");
    assertThat(spec).doesNotExist();
  }

  @Test
  void withoutFiles_composesOwnNamesAreFound_withTheOverride() throws Exception {
    Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE);
    Files.writeString(dir.resolve("docker-compose.override.yml"), "services: {}\n");

    assertThat(ImportCommand.found(dir))
        .containsExactly(
            dir.resolve("docker-compose.yml"), dir.resolve("docker-compose.override.yml"));
    Files.writeString(dir.resolve("compose.yaml"), COMPOSE);
    assertThat(ImportCommand.found(dir)).containsExactly(dir.resolve("compose.yaml"));
  }
}
