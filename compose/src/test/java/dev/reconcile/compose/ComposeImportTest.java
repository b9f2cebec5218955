package dev.reconcile.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 003's compose project, with and without the nginx site in front of it, drafted into
 * projects.yml: the draft validates, keeps secrets out, and matches its golden file
 * ({@code -Dreconcile.golden.update=true} rewrites them).
 */
class ComposeImportTest {
  private static Path deita() throws URISyntaxException {
    return Path.of(
            ComposeImportTest.class.getResource("/deita/docker-compose.yml").toURI())
        .getParent();
  }

  private static Draft drafted(Optional<Path> site, Map<String, String> domains) throws Exception {
    var folder = deita();
    var result = ComposeImport.draft(
        new ComposeImport.Options(
            List.of(folder.resolve("docker-compose.yml")),
            Optional.empty(),
            Optional.empty(),
            domains,
            site.map(folder::resolve),
            "projects.yml",
            "reconcile.env",
            false),
        Map.of());
    assertThat(result).isInstanceOf(ComposeImport.Result.Drafted.class);
    var drafted = (ComposeImport.Result.Drafted) result;
    assertThat(drafted.validation().hasErrors())
        .as(drafted.draft().text() + "\n" + drafted.validation())
        .isFalse();
    return drafted.draft();
  }

  private static void golden(String name, Draft draft) throws Exception {
    var text = draft.text().replace(deita().toString(), "DEITA");
    var file = Path.of("src/test/resources/golden").resolve(name);
    if (Boolean.getBoolean("reconcile.golden.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    }
    assertThat(text).isEqualTo(Files.readString(file));
  }

  @Test
  void seed003_withItsSite_routesAsTheSiteDoes() throws Exception {
    var draft = drafted(Optional.of(Path.of("site.conf")), Map.of());

    golden("deita-with-site.yml", draft);
    assertThat(draft.containers()).containsExactly("backend", "frontend", "postgres");
    assertThat(draft.text())
        .contains("api_locations: [\"/v1\"]")
        .contains("production: [\"deita.example.com\", \"www.deita.example.com\"]")
        .contains("health: { path: \"/v1/health\" }")
        .contains("timeout: \"300s\"")
        .contains("buffering: false")
        .contains("max_body: \"50m\"")
        .contains("image: \"ghcr.io/kasappeal/deita/backend:1.4.2\"")
        .contains("# not carried over: volumes: bind mount ./init.sql")
        .contains("# not carried over: location ~ \\.php$ (line 17)");
  }

  @Test
  void secrets_goToTheEnvFile_neverIntoTheDraft() throws Exception {
    var draft = drafted(Optional.empty(), Map.of("production", "deita.test"));

    assertThat(draft.text())
        .doesNotContain("s3cr3t-literal-value")
        .doesNotContain("pg-from-dotenv")
        .contains("SECRET_KEY: \"${SECRET_KEY}\"")
        .contains("DATABASE_URL: \"postgresql://deita:${POSTGRES_PASSWORD}@postgres:5432/deita\"")
        .contains("POSTGRES_PASSWORD: \"${POSTGRES_PASSWORD}\"")
        .contains("PRICE: \"$$5\"")
        .contains("env_file: \"reconcile.env\"");
    assertThat(draft.envValues())
        .containsEntry("SECRET_KEY", "s3cr3t-literal-value")
        .containsEntry("POSTGRES_PASSWORD", "pg-from-dotenv");
  }

  @Test
  void withoutASite_theFrontEndServesSlash_andTheOthersAGuessedPath() throws Exception {
    var draft = drafted(Optional.empty(), Map.of("production", "deita.test"));

    golden("deita-without-site.yml", draft);
    assertThat(draft.text())
        .contains("api_locations: [\"/backend\"]   # a guess")
        .contains("health: { command: [\"sh\", \"-c\", \"pg_isready -U deita\"] }");
  }

  @Test
  void aSiteLocationToAPortNoServicePublishes_isListed(@TempDir Path dir) throws Exception {
    var file = dir.resolve("docker-compose.yml");
    Files.writeString(file, "services:\n  web:\n    image: web:1\n    ports: [\"3000:80\"]\n");
    var site = Files.writeString(
        dir.resolve("site.conf"),
        "server { server_name a.test;\n location / { proxy_pass http://127.0.0.1:3000; }\n"
            + " location /old { proxy_pass http://127.0.0.1:9999; } }\n");
    var options = ComposeImport.Options.of(List.of(file));

    var result = ComposeImport.draft(
        new ComposeImport.Options(
            options.files(),
            options.envFile(),
            options.project(),
            options.domains(),
            Optional.of(site),
            options.specShownAs(),
            options.envFileName(),
            false),
        Map.of());

    var draft = ((ComposeImport.Result.Drafted) result).draft();
    assertThat(draft.text())
        .contains("# not carried over: location /old: passes to port 9999, which no service"
            + " publishes")
        .contains("port: 80   # nginx routes \"/\" here");
  }

  @Test
  void stopGracePeriod_becomesStopGrace_inWholeSeconds(@TempDir Path dir) throws Exception {
    var file = dir.resolve("docker-compose.yml");
    Files.writeString(
        file,
        "services:\n  worker:\n    image: w:1\n    stop_grace_period: 1m30.5s\n"
            + "  web:\n    image: web:1\n    ports: [\"3000:80\"]\n    stop_grace_period: 2h\n");

    var result = ComposeImport.draft(ComposeImport.Options.of(List.of(file)), Map.of());

    var drafted = (ComposeImport.Result.Drafted) result;
    assertThat(drafted.validation().hasErrors())
        .as(drafted.draft().text() + "\n" + drafted.validation())
        .isFalse();
    assertThat(drafted.draft().text())
        .contains("stop_grace: \"91s\"   # stop_grace_period")
        .contains("stop_grace_period: '2h' is not a duration up to 1h");
    assertThat(ComposeReader.grace("10s")).hasValue("10s");
    assertThat(ComposeReader.grace("1h")).hasValue("3600s");
    assertThat(ComposeReader.grace("250ms")).hasValue("1s");
    assertThat(ComposeReader.grace("0s")).hasValue("0s");
    assertThat(ComposeReader.grace("10")).isEmpty();
    assertThat(ComposeReader.grace("s")).isEmpty();
    assertThat(ComposeReader.grace("1m x")).isEmpty();
  }

  @Test
  void aComposeFileThatIsNotOne_isRefusedWithItsPlace(@TempDir Path dir) throws IOException {
    var file = dir.resolve("docker-compose.yml");
    Files.writeString(file, "services:\n  web: [1, 2]\n");

    var result = ComposeImport.draft(ComposeImport.Options.of(List.of(file)), Map.of());

    assertThat(result).isInstanceOf(ComposeImport.Result.Failed.class);
    assertThat(((ComposeImport.Result.Failed) result)
            .diagnostics()
            .iterator()
            .next()
            .toString())
        .contains(":2:8")
        .contains("service 'web' must be a mapping");
  }
}
