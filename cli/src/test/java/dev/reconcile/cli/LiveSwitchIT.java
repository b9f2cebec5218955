package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.probe.HttpProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blue-green switches of the managed nginx without a reload (issue 27): kept-alive clients that
 * never retry see no failed request through five redeploys and a rollback, because nginx's
 * workers are the same processes from first to last; the routes survive a restart of nginx, and
 * only the tool, with the token in its state directory, can change them.
 */
class LiveSwitchIT {
  @TempDir
  Path dir;

  private WebProject web;

  @BeforeEach
  void deployV1() throws IOException {
    web = WebProject.atV1(dir, "rclive", "1s", "1s");
  }

  @AfterEach
  void cleanUp() throws Exception {
    web.cleanUp();
  }

  @Test
  void redeploysAndARollback_underKeptAliveLoad_failNoRequest_andNeverReload() throws Exception {
    var workers = workers();
    var load = KeptAliveLoad.start(web.listen, web.name + ".test", 8);
    var said = new StringBuilder();
    try {
      for (int i = 1; i <= 5; i++) {
        var version = i % 2 == 1 ? "v2" : "v1";
        web.write(version);
        var apply = web.apply();
        said.append(apply.out()).append(apply.err());
        assertThat(apply.exitCode()).as(said.toString()).isZero();
        assertThat(apply.out())
            .as("redeploy %d", i)
            .contains("routes switched without a reload")
            .doesNotContain("installed and reloaded");
        assertThat(web.get().body()).contains("version " + version);
      }
      var rollback = web.run("rollback", "--project", web.name, "--env", "production", "--yes");
      said.append(rollback.out()).append(rollback.err());
      assertThat(rollback.exitCode()).as(said.toString()).isZero();
      assertThat(rollback.out()).contains("routes switched without a reload");
      assertThat(web.get().body())
          .as("back to the snapshot before the last redeploy")
          .contains("version v1");
    } finally {
      load.stop();
    }
    System.out.printf(
        "LIVE SWITCH | 5 redeploys and a rollback | %d answered on 8 kept-alive connections, "
            + "%d failed, %d reconnects%n",
        load.answered(), load.failures().size(), load.reconnects());
    assertThat(load.failures()).as("failed requests on kept-alive connections").isEmpty();
    assertThat(load.answered()).isGreaterThan(100);
    assertThat(workers())
        .as("nginx's workers: the same processes throughout (no reload)")
        .isEqualTo(workers);
    assertThat(web.run("plan", "--detailed-exitcode", "--project", web.name).exitCode())
        .isZero();
  }

  @Test
  void theRoutes_surviveARestartOfNginx_andOnlyTheTokenChangesThem() throws Exception {
    web.write("v2");
    assertThat(web.apply().out()).contains("routes switched without a reload");
    var routes = web.stateDir().resolve("nginx/routes/" + web.name + ".production.routes");
    assertThat(Files.readString(routes))
        .startsWith("reconcile__" + web.name + "__production__web 127.0.0.1:");

    var forged = post("reconcile__" + web.name + "__production__web 127.0.0.1:9\n", "0".repeat(48));
    assertThat(forged).as("a push without the state directory's token").isEqualTo(403);
    assertThat(web.get().body()).contains("version v2");

    assertThat(web.run("nginx", "stop").exitCode()).isZero();
    var plan = web.run("plan", "--detailed-exitcode", "--project", web.name);
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(2);
    var apply = web.apply();
    assertThat(apply.exitCode()).as(apply.out() + apply.err()).isZero();
    assertThat(web.get().body())
        .as("served from the routes file nginx read when it started")
        .contains("version v2");
    var revision = HttpProbe.get(
        "127.0.0.1",
        web.listen,
        "/.well-known/reconcile/revision",
        web.name + ".test",
        Duration.ofSeconds(5));
    assertThat(revision.body())
        .contains("web=" + Files.readString(routes).strip().split(" ")[1]);
  }

  private int post(String body, String token) throws IOException, InterruptedException {
    try (var client = HttpClient.newHttpClient()) {
      return client
          .send(
              HttpRequest.newBuilder(URI.create(
                      "http://127.0.0.1:" + web.listen + "/.well-known/reconcile/routes"))
                  .header("X-Reconcile-Token", token)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
  }

  /** The managed nginx's master and its workers, by pid. */
  private List<String> workers() throws Exception {
    var master =
        Files.readString(web.stateDir().resolve("nginx/logs/nginx.pid")).strip();
    var children = new ProcessBuilder("ps", "--ppid", master, "-o", "pid=").start();
    var pids = new String(children.getInputStream().readAllBytes())
        .lines()
        .map(String::strip)
        .sorted()
        .toList();
    children.waitFor();
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(master), pids.stream())
        .toList();
  }
}
