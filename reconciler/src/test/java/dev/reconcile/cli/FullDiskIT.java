package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.probe.HttpProbe;
import dev.reconcile.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A full disk at each state write of an apply from v1 to v2 (RECONCILE_TEST_FULL_DISK names the
 * file whose write fails, as ENOSPC would): the apply fails and says why, traffic keeps flowing,
 * no state file is left empty or torn, and the next apply converges and records the truth.
 */
class FullDiskIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final String project = "rd" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final int listen = FreePorts.loopback();
  private Path spec;

  @BeforeEach
  void deployV1() throws IOException {
    spec = dir.resolve("projects.yml");
    write("v1");
    var first = apply();
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
  }

  @AfterEach
  void cleanUp() throws Exception {
    CliRun.of("-f", spec.toString(), "nginx", "stop");
    TestHosts.removeProject(project);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "journal entry, .production.json, cannot write the state directory, v1",
      "site file, .production.conf, No space left on device, v1",
      "snapshot, 000002.json, the snapshot was not written, v2"})
  void apply_withTheDiskFullAtOneWrite_failsClearlyAndTheNextConverges(String what, String file,
      String said, String serving) throws Exception {
    write("v2");
    var load = LoadLoop.start(listen, project + ".test");
    try {
      var command = new ProcessBuilder(Path.of("..").toAbsolutePath().normalize().resolve("bin/reconcile")
          .toString(), "-f", spec.toString(), "apply", "--yes", "--bake", "500ms", "--drain", "500ms",
          "--project", project).redirectErrorStream(true).redirectOutput(dir.resolve("full.log").toFile());
      command.environment().put("RECONCILE_TEST_FULL_DISK", file);
      var process = command.start();
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
      var log = Files.readString(dir.resolve("full.log"));

      assertThat(process.exitValue()).as(log).isEqualTo(1);
      assertThat(log).contains(said);
      assertThat(get().body()).as("what serves after the failed write").contains("version " + serving);
      assertWholeStateFiles();

      var converge = apply();
      assertThat(converge.exitCode()).as(converge.out() + converge.err()).isZero();
      assertThat(apply().out()).contains("Nothing to do");
    } finally {
      load.stop();
    }
    assertThat(load.failures()).as("failed requests through nginx").isEmpty();
    assertThat(get().body()).contains("version v2");
    assertThat(TestHosts.containers(project)).hasSize(1);
    var history = CliRun.of("-f", spec.toString(), "history", "--project", project).out();
    assertThat(history.lines().filter(l -> l.startsWith("  #")).reduce((a, b) -> b).orElseThrow())
        .as(history).contains("web=reconcile-test/web:v2");
  }

  /** Every state file is whole: none empty, every JSON one parses, no temp file is left. */
  private void assertWholeStateFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve(".reconcile"))) {
      for (var file : files.filter(Files::isRegularFile).toList()) {
        var name = file.getFileName().toString();
        if (file.toString().contains("/nginx/logs/") || file.toString().contains("/nginx/tmp/")
            || file.toString().contains("/locks/")) {
          continue; // nginx's own files, and lock files, which are empty when free
        }
        assertThat(name).as(file.toString()).doesNotEndWith(".tmp");
        assertThat(Files.size(file)).as(file + " is empty").isPositive();
        if (name.endsWith(".json")) {
          JSON.readTree(file.toFile());
        }
      }
    }
  }

  private void write(String version) throws IOException {
    Files.writeString(spec, """
        version: 1
        platform:
          nginx: { listen: "127.0.0.1:%d" }
        """.formatted(listen) + TestHosts.webProject(project, version));
  }

  private CliRun apply() {
    return CliRun.of("-f", spec.toString(), "apply", "--yes", "--bake", "500ms", "--drain", "500ms",
        "--project", project);
  }

  private HttpProbe.Answer get() {
    return HttpProbe.get("127.0.0.1", listen, "/", project + ".test", Duration.ofSeconds(5));
  }
}
