package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.probe.HttpProbe;
import dev.reconcile.testing.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' kind of app, unchanged, on reconcile: a Python web app that reads DATABASE_URL and
 * runs its migrations as a release command, a WebSocket server on /ws, PostgreSQL with no port
 * and a pg_isready health check; built from Debian's packages (bin/lib/setup-host.sh). Another
 * project beside it must not reach its database.
 */
class RealAppIT {
  @TempDir
  Path dir;

  private final String app =
      "rta" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final String other =
      "rto" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final String friend =
      "rtf" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int listen = TestPorts.reserve();

  private Path spec(String version, String extraEnv) throws Exception {
    var spec = dir.resolve("projects.yml");
    Files.writeString(spec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%1$d" }
        projects:
          %2$s:
            domains: { production: %2$s.test }
            containers:
              web:
                image: "reconcile-test/app:%3$s"
                port: 8000
                env: { DATABASE_URL: "postgresql://postgres:pw@%2$s-db-production/postgres"%4$s }
                release: [python3, /app/migrate.py]
                depends_on: [db]
                health: { path: /health, interval: 1s }
                smoke: [ { path: /api/smoke, contains: "smoke: ok" } ]
              ws:
                image: "reconcile-test/app:v1"
                command: [python3, /app/ws.py]
                port: 8001
                api_locations: [/ws]
                health: { path: /ws/health, interval: 1s }
              db:
                image: "reconcile-test/app:v1"
                command: [/app/db.sh]
                env: { POSTGRES_PASSWORD: pw }
                volumes: { pgdata: /var/lib/postgresql/data }
                health: { command: [pg_isready, -h, 127.0.0.1, -U, postgres], interval: 1s, retries: 60 }
                shared_with: [%6$s]
          %6$s:
            domains: { production: %6$s.test }
            containers:
              reporting: { image: "reconcile-test/web:v1", command: [sleep, "3600"] }
          %5$s:
            domains: { production: %5$s.test }
            containers:
              intruder: { image: "reconcile-test/web:v1", command: [sleep, "3600"] }
        """.formatted(listen, app, version, extraEnv, other, friend));
    return spec;
  }

  private CliRun apply(Path spec) {
    return CliRun.of("-f", spec.toString(), "apply", "--yes", "--bake", "1s", "--drain", "1s");
  }

  private CliRun reconcile(Path spec, String... args) {
    var all = new java.util.ArrayList<>(java.util.List.of("-f", spec.toString()));
    all.addAll(java.util.List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private String container(String project, String component) throws Exception {
    return TestHosts.run(
            "docker",
            "ps",
            "--format",
            "{{.Names}}",
            "--filter",
            "label=reconcile.project=" + project,
            "--filter",
            "label=reconcile.component=" + component)
        .strip()
        .lines()
        .findFirst()
        .orElseThrow();
  }

  private String inContainer(String container, String... command) throws Exception {
    var argv = new java.util.ArrayList<>(java.util.List.of("docker", "exec", container));
    argv.addAll(java.util.List.of(command));
    return TestHosts.run(argv.toArray(String[]::new)).strip();
  }

  @AfterEach
  void cleanUp() throws Exception {
    reconcile(dir.resolve("projects.yml"), "nginx", "stop");
    TestHosts.removeProject(app);
    TestHosts.removeProject(other);
    TestHosts.removeProject(friend);
    TestHosts.run("docker", "volume", "rm", "-f", app + "-production-pgdata");
  }

  @Test
  void theSeedsApp_runsUnchanged_andUpgradesUnderLoad_andAFailingMigrationKeepsTheOldVersion()
      throws Exception {
    var v1 = spec("v1", "");
    var first = apply(v1);
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(first.out())
        .contains("release| applying migration 1", "release: python3 /app/migrate.py succeeded");
    // The database started first, healthy by pg_isready, before the app that depends on it.
    assertThat(first.out().indexOf("container:" + app + "/production/db: healthy"))
        .isLessThan(first.out().indexOf("container:" + app + "/production/web: release"));
    var host = app + ".test";
    assertThat(
            HttpProbe.get("127.0.0.1", listen, "/", host, Duration.ofSeconds(5)).body())
        .contains("app v1: 0 notes (schema 2)");

    // Names: the short one and the long one resolve on the project's network, to the database.
    var web = container(app, "web");
    var resolved = inContainer(
            web,
            "python3",
            "-c",
            "import socket; print(socket.gethostbyname('db'), " + "socket.gethostbyname('" + app
                + "-db-production'))")
        .split(" ");
    assertThat(resolved).hasSize(2);
    assertThat(resolved[0]).isEqualTo(resolved[1]).startsWith("10.");
    // Another project can reach it neither by name nor by address (on either of its networks).
    var intruder = container(other, "intruder");
    assertThat(inContainer(intruder, "busybox", "nslookup", "db", "127.0.0.11"))
        .contains("NXDOMAIN");
    var db = container(app, "db");
    for (var address : TestHosts.run(
            "docker",
            "inspect",
            "-f",
            "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}",
            db)
        .strip()
        .split(" ")) {
      assertThat(inContainer(
              intruder,
              "sh",
              "-c",
              "printf 'x' | busybox nc -w 2 " + address + " 5432; echo rc=$?"))
          .as("port 5432 at " + address)
          .contains("rc=1");
    }

    // The project it is shared with reaches it by its long name, on its own network.
    var reporting = container(friend, "reporting");
    assertThat(inContainer(reporting, "busybox", "nslookup", app + "-db-production", "127.0.0.11"))
        .doesNotContain("NXDOMAIN")
        .contains("Address");
    var sharedAddress = inContainer(
        reporting,
        "sh",
        "-c",
        "busybox nslookup " + app + "-db-production 127.0.0.11"
            + " | awk '/^Address/ { a = $2 } END { print a }'");
    assertThat(inContainer(
            reporting,
            "sh",
            "-c",
            "printf '' | busybox nc -w 3 " + sharedAddress + " 5432; echo rc=$?"))
        .as("port 5432 at " + sharedAddress)
        .contains("rc=0");
    assertThat(inContainer(reporting, "busybox", "nslookup", "db", "127.0.0.11"))
        .as("only the long name")
        .contains("NXDOMAIN");

    // A WebSocket through nginx: 101, and the server's echo.
    var ws = RawHttp.websocket(listen, host, "/ws", "hello");
    assertThat(ws[0]).contains("101");
    assertThat(ws[1]).isEqualTo("echo: hello");
    // A 20 MiB upload through nginx reaches the app whole.
    var body = new byte[20 << 20];
    ThreadLocalRandom.current().nextBytes(body);
    var upload = RawHttp.post(listen, host, "/api/upload", body);
    assertThat(upload[0]).contains("200");
    assertThat(upload[1])
        .contains("\"bytes\": " + body.length)
        .contains(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));

    // logs: the app's own output; --access: nginx's lines of those requests, with the slot.
    var logs = reconcile(v1, "logs", app, "-c", "web", "--tail", "50");
    assertThat(logs.exitCode()).as(logs.err()).isZero();
    assertThat(logs.out()).contains("web | app v1 listening on :8000", "POST /api/upload");
    var access = reconcile(v1, "logs", app, "--access", "--tail", "20");
    assertThat(access.out()).contains(" 101 GET /ws ", " 200 POST /api/upload ", "-> web/");
    // exec: in the serving slot, its exit code passed on.
    var serving =
        TestHosts.run("docker", "inspect", "-f", "{{.Id}}", web).strip().substring(0, 12);
    assertThat(reconcile(
                v1,
                "exec",
                app,
                "web",
                "--",
                "sh",
                "-c",
                "test \"$(hostname)\" = " + serving + " && [ \"$APP_VERSION\" = v1 ] && exit 7")
            .exitCode())
        .isEqualTo(7);
    // run: a throwaway copy on the project's network, removed afterwards.
    assertThat(reconcile(
                v1,
                "run",
                app,
                "web",
                "--",
                "python3",
                "-c",
                "import psycopg2, os; psycopg2.connect(os.environ['DATABASE_URL']).close(); raise SystemExit(5)")
            .exitCode())
        .isEqualTo(5);
    assertThat(TestHosts.run(
            "docker",
            "ps",
            "-a",
            "-q",
            "--filter",
            "label=reconcile.one-off",
            "--filter",
            "label=reconcile.project=" + app))
        .isBlank();

    // v2 under load: through nginx, and by name from a sibling (a new connection each request).
    var ws1 = container(app, "ws");
    TestHosts.run("docker", "exec", "-d", ws1, "python3", "-c", """
        import urllib.request, os
        ok = failed = 0
        last = ''
        while not os.path.exists('/tmp/stop'):
            try:
                urllib.request.urlopen('http://web:8000/api/version', timeout=5).read()
                ok += 1
            except Exception as e:
                failed += 1
                last = str(e)
            if (ok + failed) %% 20 == 0:
                open('/tmp/byname.tmp', 'w').write('%%d %%d %%s' %% (ok, failed, last))
                os.replace('/tmp/byname.tmp', '/tmp/byname.txt')
        open('/tmp/byname.txt', 'w').write('%%d %%d %%s done' %% (ok, failed, last))
        """.replace("%%", "%"));
    var load = LoadLoop.start(listen, host);
    // A long-lived answer (server-sent events, 15 s) from v1, open across the switch.
    var stream = RawHttp.events(listen, host, "/api/events?n=15");
    var v2 = spec("v2", "");
    var upgrade = apply(v2);
    load.awaitAnswer("app v2");
    load.stop();
    TestHosts.run("docker", "exec", ws1, "touch", "/tmp/stop");
    String byName = "";
    for (var i = 0; i < 100 && !byName.endsWith("done"); i++) {
      Thread.sleep(100);
      byName = inContainer(ws1, "cat", "/tmp/byname.txt");
    }
    assertThat(upgrade.exitCode()).as(upgrade.out() + upgrade.err()).isZero();
    assertThat(upgrade.out())
        .contains(
            "answers to web, " + app + "-web-production too",
            "no longer answers to web, " + app + "-web-production");
    assertThat(load.failures())
        .as("requests through nginx that failed during the upgrade")
        .isEmpty();
    // The old slot was kept until nginx finished the stream on it (the switch had no reload:
    // the same worker held it): every event came.
    assertThat(upgrade.out())
        .contains("from nginx still open to the old slots; they are kept until");
    assertThat(stream.get(60, java.util.concurrent.TimeUnit.SECONDS))
        .hasSize(16)
        .first()
        .asString()
        .contains("200");
    var counts = byName.split(" ");
    assertThat(Integer.parseInt(counts[1]))
        .as("requests by name that failed: " + byName)
        .isZero();
    assertThat(Integer.parseInt(counts[0])).as(byName).isPositive();

    // A release whose migration fails stops the deploy: v2 keeps serving, the snapshot says so.
    var broken = apply(spec("v2", ", MIGRATIONS_FAIL: \"1\""));
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.out() + broken.err())
        .contains("release| applying migration 3")
        .contains("release command python3 /app/migrate.py exited 1")
        .contains("no_such_table")
        .contains("the old version serves");
    assertThat(
            HttpProbe.get("127.0.0.1", listen, "/", host, Duration.ofSeconds(5)).body())
        .contains("app v2");
    assertThat(reconcile(v2, "history", "--project", app).out()).contains("failed");
  }
}
