package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reconcile export kubernetes} as users run it: no engine needed, nothing secret written. */
class ExportCommandTest {
  @TempDir
  Path dir;

  @Test
  void export_toStdout_isOneYamlStream_andNamesTheSecretsToCreate() {
    var run = CliRun.of(
        "export", "kubernetes", "-f", "../specs-examples/filter-ical.yml", "--env", "production");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "kind: Deployment",
            "kind: Ingress",
            "kind: Service",
            "kind: PersistentVolumeClaim",
            "# filter-ical/production")
        .doesNotContain("staging");
    assertThat(run.err())
        .contains(
            "reads Secret filter-ical-production-env (create it first): DATABASE_URL, SECRET_KEY");
  }

  @Test
  void export_toAFolder_writesAFilePerEnvironment() throws Exception {
    var run = CliRun.of(
        "export",
        "kubernetes",
        "-f",
        "../specs-examples/with-database.yml",
        "--out",
        dir.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .isNotEmpty()
          .allMatch(n -> n.endsWith(".yaml"));
    }
  }

  @Test
  void export_ofABadSpec_reportsItsErrorsAndWritesNothing() throws Exception {
    Files.writeString(
        dir.resolve("projects.yml"), "version: 1\nprojects: { shop: { domains: {} } }\n");

    var run = CliRun.of(
        "export",
        "kubernetes",
        "-f",
        dir.resolve("projects.yml").toString(),
        "--out",
        dir.resolve("k8s").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err() + run.out()).contains("projects.yml:");
    assertThat(dir.resolve("k8s")).doesNotExist();
  }
}
