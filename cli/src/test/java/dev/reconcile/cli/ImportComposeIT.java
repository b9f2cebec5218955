package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.testing.TestPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compose project drafted into projects.yml, planned and deployed as drafted, against the real
 * engine and nginx: the draft's plan is what its first apply does, and the app answers through
 * nginx.
 */
class ImportComposeIT {
  @TempDir
  Path dir;

  private final String project = "rcimp" + UUID.randomUUID().toString().substring(0, 6);

  @AfterEach
  void cleanUp() throws Exception {
    CliRun.of("-f", dir.resolve("projects.yml").toString(), "nginx", "stop");
    TestHosts.removeProject(project);
  }

  private Path compose() throws Exception {
    return Files.writeString(dir.resolve("docker-compose.yml"), """
        name: %s
        services:
          web:
            image: reconcile-test/web:v1
            ports: ["18080:8080"]
            healthcheck:
              test: ["CMD", "wget", "-q", "-O-", "http://localhost:8080/health"]
              interval: 30s
            depends_on:
              store: { condition: service_healthy }
            restart: unless-stopped
          store:
            image: reconcile-test/sqlite:1
            command: ["sh", "-c", "touch /data/ready && exec httpd -f -p 8080 -h /www"]
            volumes: ["store_data:/data"]
            healthcheck:
              test: ["CMD-SHELL", "test -f /data/ready"]
        volumes:
          store_data: {}
        """.formatted(project));
  }

  /**
   * The draft of {@link #compose()} (with {@code extra} flags), its front door moved from the
   * draft's loopback 8080 to a port of this test's own; its path.
   */
  private Path drafted(String... extra) throws Exception {
    var spec = dir.resolve("projects.yml");
    var args = new ArrayList<>(List.of(
        "-f",
        spec.toString(),
        "import",
        "compose",
        compose().toString(),
        "--domain",
        "production=" + project + ".test"));
    args.addAll(List.of(extra));
    var imported = CliRun.of(args.toArray(String[]::new));
    assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
    port = TestPorts.reserve();
    Files.writeString(spec, Files.readString(spec).replace("127.0.0.1:8080", "127.0.0.1:" + port));
    return spec;
  }

  /** Where the draft's front door listens. */
  private int port;

  @Test
  void aDraft_plansItsFirstApply_andDeploysAsDrafted() throws Exception {
    var spec = drafted();

    var plan = CliRun.of("-f", spec.toString(), "plan", "--detailed-exitcode");
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(2);
    assertThat(plan.out())
        .contains("+ container:" + project + "/production/web")
        .contains("+ container:" + project + "/production/store")
        .contains("+ volume:" + project + "/production/store-data")
        .contains("route / -> web");

    var apply = CliRun.of("-f", spec.toString(), "apply", "--yes", "--bake", "0s", "--drain", "0s");
    assertThat(apply.exitCode()).as(apply.out() + apply.err()).isZero();
    var answer = HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Host", project + ".test")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.body()).contains("version v1");
    var again = CliRun.of("-f", spec.toString(), "plan", "--detailed-exitcode");
    assertThat(again.exitCode()).as(again.out()).isZero();
  }

  @Test
  void adopted_theStoreRunsOnComposesVolume_itsDataInPlace() throws Exception {
    var composeVolume = project + "_store_data";
    TestHosts.run("docker", "volume", "create", composeVolume);
    try {
      TestHosts.run(
          "docker",
          "run",
          "--rm",
          "--network",
          "none",
          "-v",
          composeVolume + ":/v",
          "reconcile-test/sqlite:1",
          "sh",
          "-c",
          "echo 'row 1' > /v/rows");
      var spec = drafted("--adopt");

      var plan = CliRun.of("-f", spec.toString(), "plan");
      assertThat(plan.out()).contains("takes over Docker volume " + composeVolume);
      var apply =
          CliRun.of("-f", spec.toString(), "apply", "--yes", "--bake", "0s", "--drain", "0s");
      assertThat(apply.exitCode()).as(apply.out() + apply.err()).isZero();

      var store = TestHosts.containers(project).stream()
          .filter(n -> n.contains("-store-"))
          .findFirst()
          .orElseThrow();
      assertThat(TestHosts.run("docker", "exec", store, "cat", "/data/rows"))
          .as("the rows compose's volume held")
          .contains("row 1");
    } finally {
      TestHosts.removeProject(project);
      TestHosts.run("docker", "volume", "rm", "-f", composeVolume);
    }
  }
}
