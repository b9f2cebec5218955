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
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving in from docker compose, as a team would: a compose project run by Debian's
 * docker-compose (the seeds' kind of app and a PostgreSQL with rows in its volume) behind the
 * system's nginx, whose site file serves the domain. {@code import compose --adopt} drafts
 * projects.yml; its apply, under a load loop on the web route, moves the domain to reconcile's
 * containers on the same data with no failed request, and stops compose's containers, kept;
 * {@code adopt --undo} puts compose back. The "system" nginx is one the test starts with a prefix
 * of its own, on loopback.
 */
class AdoptComposeIT {
  @TempDir
  Path dir;

  private final String project =
      "rcad" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final String domain = project + ".test";
  private final int listen = TestPorts.reserve();
  private final int published = TestPorts.reserve();
  private SystemNginx nginx;
  private Path prefix;
  private Path composeFile;
  private Path spec;

  @BeforeEach
  void startComposeBehindTheSystemNginx() throws Exception {
    nginx = SystemNginx.start(dir.resolve("system-nginx"), listen);
    prefix = nginx.prefix;
    // The site a team wrote by hand for its compose app.
    Files.writeString(
        prefix.resolve("conf.d/legacy.conf"), """
        server {
            listen 127.0.0.1:%d;
            server_name %s;
            client_max_body_size 20m;
            location / {
                proxy_pass http://127.0.0.1:%d;
                proxy_set_header Host $host;
            }
        }
        """.formatted(listen, domain, published));
    nginx.run("-s", "reload"); // the site serves: awaitAnswer below sees it
    // compose names the project after the folder, as teams run it: cd app && docker-compose up.
    var app = Files.createDirectories(dir.resolve(project));
    composeFile = Files.writeString(app.resolve("docker-compose.yml"), """
        services:
          web:
            image: reconcile-test/app:v1
            environment:
              DATABASE_URL: postgresql://postgres:pw@db/postgres
            ports: ["127.0.0.1:%d:8000"]
            depends_on: [db]
            restart: always
          db:
            image: reconcile-test/app:v1
            command: ["/app/db.sh"]
            environment:
              POSTGRES_PASSWORD: pw
            volumes: ["pgdata:/var/lib/postgresql/data"]
            healthcheck:
              test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-U", "postgres"]
              interval: 1s
              retries: 60
            restart: always
        volumes:
          pgdata: {}
        """.formatted(published));
    compose("up", "-d");
    awaitHealthy(composed("db"));
    compose("exec", "-T", "web", "python3", "/app/migrate.py");
    psql("INSERT INTO notes (body) SELECT 'note ' || n FROM generate_series(1, 250) n");
    assertThat(awaitAnswer("250 notes"))
        .as("compose serves through the system nginx")
        .isTrue();
    spec = dir.resolve("projects.yml");
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (composeFile != null) {
      TestHosts.run(composeCommand("down", "-v", "--remove-orphans").toArray(String[]::new));
    }
    TestHosts.removeProject(project);
    nginx.stop();
  }

  @Test
  void importedAndApplied_movesTheDomainOnTheSameData_withoutAFailedRequest_andUndoes()
      throws Exception {
    var imported = reconcile(
        "import",
        "compose",
        composeFile.toString(),
        "--domain",
        "production=" + domain,
        "--nginx-site",
        prefix.resolve("conf.d/legacy.conf").toString(),
        "--adopt");
    assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
    var draft = Files.readString(spec);
    assertThat(draft)
        .contains("compose: \"" + project + "\"", "pgdata: \"" + project + "_pgdata\"")
        .contains("site: \"" + prefix.resolve("conf.d/legacy.conf") + "\"");
    // The draft names the system nginx's folder; this one also needs its own prefix to be told.
    var platform = """
          nginx:
            mode: system
            conf_dir: "%s"
            listen: "127.0.0.1:%d"
            test_command: %s
            reload_command: %s""".formatted(
            nginx.confDir(), listen, nginx.testCommand(), nginx.reloadCommand())
        .indent(2)
        .stripTrailing();
    Files.writeString(
        spec,
        draft.replaceFirst(
            "  nginx: \\{ mode: system, conf_dir: [^}]*}", Matcher.quoteReplacement(platform)));
    var plan = reconcile("plan", "--detailed-exitcode");
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(2);
    assertThat(plan.out())
        .contains("adoption:" + project + "/production")
        .contains("stops " + composed("db") + " (kept) before the volume made on " + project
            + "_pgdata is made")
        .contains("stops " + composed("web") + " (kept) once the front door serves");

    var load = LoadLoop.start(listen, domain, "/api/smoke");
    load.awaitAnswer("smoke: ok");
    var apply = reconcile("apply", "--yes", "--bake", "1s", "--drain", "1s");
    load.stop();

    assertThat(apply.exitCode()).as(apply.out() + apply.err()).isZero();
    assertThat(load.failures()).as("failed requests on the web route").isEmpty();
    assertThat(load.answers()).hasSizeGreaterThan(10);
    // Every row, served by reconcile's web from reconcile's database on compose's volume.
    assertThat(get("/").body()).contains("250 notes");
    assertThat(state(composed("web"))).isEqualTo("exited");
    assertThat(state(composed("db"))).isEqualTo("exited");
    assertThat(restartPolicy(composed("db")))
        .as("a reboot leaves it stopped")
        .isEqualTo("unless-stopped");
    assertThat(prefix.resolve("conf.d/legacy.conf")).doesNotExist();
    var again = reconcile("plan", "--detailed-exitcode");
    assertThat(again.exitCode()).as("nothing left to do: " + again.out()).isZero();
    assertThat(reconcile("status").out())
        .contains("takes over compose project " + project + ": 2 containers stopped and kept");
    var shown = reconcile("adopt", project, "--env", "production");
    assertThat(shown.out()).contains(composed("db") + ": stopped (kept)");

    var undo = reconcile("adopt", project, "--env", "production", "--undo", "--yes");

    assertThat(undo.exitCode()).as(undo.out() + undo.err()).isZero();
    assertThat(state(composed("db"))).isEqualTo("running");
    assertThat(state(composed("web"))).isEqualTo("running");
    assertThat(prefix.resolve("conf.d/legacy.conf")).exists();
    assertThat(
            TestHosts.run("docker", "ps", "-q", "--filter", "label=reconcile.project=" + project))
        .as("reconcile's containers are stopped")
        .isBlank();
    assertThat(TestHosts.containers(project)).as("and kept").isNotEmpty();
    assertThat(awaitAnswer("250 notes")).as("compose serves the domain again").isTrue();
  }

  private CliRun reconcile(String... args) {
    var all = new ArrayList<>(List.of("-f", spec.toString()));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private List<String> composeCommand(String... args) {
    var all =
        new ArrayList<>(List.of("docker-compose", "-p", project, "-f", composeFile.toString()));
    all.addAll(List.of(args));
    return all;
  }

  private void compose(String... args) throws Exception {
    var process =
        new ProcessBuilder(composeCommand(args)).redirectErrorStream(true).start();
    var out = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor())
        .as("docker-compose " + String.join(" ", args) + ": " + out)
        .isZero();
  }

  /** The name docker-compose 1.x gives a service's one container. */
  private String composed(String service) {
    return project + "_" + service + "_1";
  }

  private void psql(String sql) throws Exception {
    var out = TestHosts.run(
        "docker",
        "exec",
        "-e",
        "PGPASSWORD=pw",
        composed("db"),
        "psql",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        sql);
    assertThat(out).as(sql).contains("INSERT");
  }

  private String state(String container) throws Exception {
    return TestHosts.run("docker", "inspect", "-f", "{{.State.Status}}", container)
        .strip();
  }

  private String restartPolicy(String container) throws Exception {
    return TestHosts.run("docker", "inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}", container)
        .strip();
  }

  private void awaitHealthy(String container) throws Exception {
    var until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < until) {
      var health = TestHosts.run("docker", "inspect", "-f", "{{.State.Health.Status}}", container)
          .strip();
      if (health.equals("healthy")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(container + " did not become healthy");
  }

  private HttpProbe.Answer get(String path) {
    return HttpProbe.get("127.0.0.1", listen, path, domain, Duration.ofSeconds(5));
  }

  /** Whether the domain answers with {@code text} within 60 s (a database starting, a reload). */
  private boolean awaitAnswer(String text) throws InterruptedException {
    var until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < until) {
      if (get("/").body().contains(text)) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }
}
