package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.probe.HttpProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images missing on the host are pulled from platform.registry during pre-flight, through the
 * real engine from a registry on loopback that asks for a password.
 */
class PullIT {
  private static final String PASSWORD =
      "pull-secret-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);

  @TempDir
  Path dir;

  private final String project =
      "rp" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int listen = dev.reconcile.testing.TestPorts.reserve();
  private TestRegistry registry;
  private Path spec;

  @BeforeEach
  void startRegistry() throws Exception {
    registry = TestRegistry.start("deploy", PASSWORD);
    registry.add("reconcile-test/" + project, "v1", "reconcile-test/web:v1", dir);
    spec = dir.resolve("projects.yml");
  }

  @AfterEach
  void cleanUp() throws Exception {
    var prefix = dir.resolve(".reconcile/nginx");
    if (Files.exists(prefix.resolve("logs/nginx.pid"))) {
      TestHosts.run(
          "nginx",
          "-p",
          prefix.toString(),
          "-c",
          prefix.resolve("nginx.conf").toString(),
          "-s",
          "quit");
    }
    TestHosts.removeProject(project);
    for (var tag : Stream.of("v1", "v9").toList()) {
      TestHosts.run("docker", "rmi", image(tag));
    }
    registry.close();
  }

  private String image(String tag) {
    return registry.address() + "/reconcile-test/" + project + ":" + tag;
  }

  private void write(String tag, String password) throws IOException {
    Files.writeString(dir.resolve("production.env"), "REGISTRY_PASSWORD=" + password + "\n");
    Files.writeString(
        spec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
          registry: { server: "%s", username: deploy, password: "${REGISTRY_PASSWORD}" }
        projects:
          %s:
            domains: { production: %s.test }
            env_file: "{environment}.env"
            containers:
              web:
                image: "%s"
                port: 8080
                health: { path: /health, interval: 1s, retries: 3 }
        """.formatted(listen, registry.address(), project, project, image(tag)));
  }

  private CliRun apply() {
    return CliRun.of(
        "-f",
        spec.toString(),
        "apply",
        "--yes",
        "--bake",
        "0s",
        "--drain",
        "0s",
        "--project",
        project);
  }

  @Test
  void apply_imageOnlyInTheRegistry_isPulledWithThePasswordAndNeverShowsIt() throws Exception {
    write("v1", PASSWORD);

    var run = apply();

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("pulled " + image("v1"));
    assertThat(HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5))
            .body())
        .contains("version v1");
    assertThat(TestHosts.run("docker", "image", "inspect", "--format", "ok", image("v1"))
            .strip())
        .isEqualTo("ok");
    assertThat(run.out() + run.err()).doesNotContain(PASSWORD);
    try (var files = Files.walk(dir.resolve(".reconcile"))) {
      for (var file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain(PASSWORD);
      }
    }
  }

  @Test
  void apply_wrongPassword_failsPreflightSayingWhyAndChangesNothing() throws Exception {
    write("v1", "not-the-password");

    var run = apply();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "pre-flight failed", "cannot pull " + image("v1") + " from " + registry.address());
    assertThat(run.err() + run.out()).doesNotContain("not-the-password");
    assertThat(registry.refused()).isNotEmpty();
    assertThat(TestHosts.containers(project)).isEmpty();
  }

  @Test
  void apply_tagTheRegistryLacks_failsPreflightNamingTheImage() throws Exception {
    write("v9", PASSWORD);

    var run = apply();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot pull " + image("v9"), "manifest unknown");
    assertThat(TestHosts.containers(project)).isEmpty();
  }
}
