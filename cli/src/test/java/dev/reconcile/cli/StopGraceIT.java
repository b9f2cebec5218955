package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.testing.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An old slot is retired as Docker, compose and Kubernetes stop a container: its stop signal, then
 * its stop grace to finish what it is doing, and only then the kill. An app that finishes work
 * on SIGTERM gets to (its last write lands on the volume); one that ignores it is killed when its
 * declared {@code stop_grace} ends, and the apply says which of the two happened.
 */
class StopGraceIT {
  @TempDir
  Path dir;

  private final String name =
      "rcsg" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int listen = TestPorts.reserve();

  /**
   * A web slot whose shell takes 2 s after SIGTERM to write down that it finished (a job's last
   * step), or, {@code deaf}, ignores SIGTERM altogether.
   */
  private Path spec(String version, boolean deaf, String grace) throws Exception {
    var onTerm = deaf ? "''" : "'sleep 2; echo finished > /data/stopped-$V; kill $p; exit 0'";
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
                image: "reconcile-test/web:%3$s"
                port: 8080
                env: { V: "%3$s" }
                command: [sh, -c, "trap %4$s TERM; httpd -f -p 8080 -h /www & p=$!; wait $p"]
                volumes: { data: /data }
                update: blue-green
                health: { path: /health, interval: 1s }
                stop_grace: %5$s
        """.formatted(listen, name, version, onTerm, grace));
    return spec;
  }

  private CliRun apply(Path spec) {
    return CliRun.of("-f", spec.toString(), "apply", "--yes", "--bake", "0s", "--drain", "0s");
  }

  @AfterEach
  void cleanUp() throws Exception {
    CliRun.of("-f", dir.resolve("projects.yml").toString(), "nginx", "stop");
    TestHosts.removeProject(name);
    TestHosts.run("docker", "volume", "rm", "-f", name + "-production-data");
  }

  /** The one container of the project, once the old slot is gone. */
  private String running() throws Exception {
    return String.join(",", TestHosts.containers(name));
  }

  @Test
  void anOldSlot_getsItsStopSignal_andFinishesItsWork_beforeItIsRemoved() throws Exception {
    var first = apply(spec("v1", false, "10s"));
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();

    var second = apply(spec("v2", false, "10s"));
    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(second.out())
        .as(second.out())
        .containsPattern("removed container " + name
            + "-web-production-blue \\([0-9a-f]{12}\\); it exited [2-9]\\.[0-9] s after its stop "
            + "signal \\(exit code 0\\)");
    assertThat(TestHosts.run("docker", "exec", running(), "cat", "/data/stopped-v1")
            .strip())
        .as("what the old slot wrote after SIGTERM, on the volume")
        .isEqualTo("finished");
  }

  @Test
  void anOldSlotThatIgnoresItsStopSignal_isKilledWhenItsStopGraceEnds_andTheApplySaysSo()
      throws Exception {
    var first = apply(spec("v1", true, "1s"));
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(TestHosts.run("docker", "inspect", "-f", "{{.Config.StopTimeout}}", running())
            .strip())
        .as("the grace the container keeps (docker stop by hand uses it too)")
        .isEqualTo("1");

    var second = apply(spec("v2", true, "1s"));
    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(second.out())
        .as(second.out())
        .contains("removed container " + name + "-web-production-blue (")
        .contains("it did not exit within its stop grace of 1 s after its stop signal, and the "
            + "engine killed it");
    assertThat(running()).isEqualTo(name + "-web-production-green");
  }
}
