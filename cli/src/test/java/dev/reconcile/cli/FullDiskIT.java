package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

  @TempDir
  Path dir;

  private WebProject web;

  @BeforeEach
  void deployV1() throws IOException {
    web = WebProject.atV1(dir, "rd", "500ms", "500ms");
  }

  @AfterEach
  void cleanUp() throws Exception {
    web.cleanUp();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "journal entry, .production.json, cannot write the state directory, v1",
    "site file, .production.conf, No space left on device, v1",
    "snapshot, 000002.json, the snapshot was not written, v2"
  })
  void apply_withTheDiskFullAtOneWrite_failsClearlyAndTheNextConverges(
      String what, String file, String said, String serving) throws Exception {
    web.write("v2");
    var load = web.load();
    try {
      var process =
          web.launch(Map.of("RECONCILE_TEST_FULL_DISK", file), "full.log", web.applyArgs());
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
      var log = Files.readString(dir.resolve("full.log"));

      assertThat(process.exitValue()).as(log).isEqualTo(1);
      assertThat(log).contains(said);
      assertThat(web.get().body())
          .as("what serves after the failed write")
          .contains("version " + serving);
      assertWholeStateFiles();

      var converge = web.apply();
      assertThat(converge.exitCode()).as(converge.out() + converge.err()).isZero();
      assertThat(web.apply().out()).contains("Nothing to do");
    } finally {
      load.stop();
    }
    assertThat(load.failures()).as("failed requests through nginx").isEmpty();
    assertThat(web.get().body()).contains("version v2");
    assertThat(TestHosts.containers(web.name)).hasSize(1);
    assertThat(web.newestSnapshot()).contains("web=reconcile-test/web:v2");
  }

  /** Every state file is whole: none empty, every JSON one parses, no temp file is left. */
  private void assertWholeStateFiles() throws IOException {
    try (Stream<Path> files = Files.walk(web.dir.resolve(".reconcile"))) {
      for (var file : files.filter(Files::isRegularFile).toList()) {
        var name = file.getFileName().toString();
        if (file.toString().contains("/nginx/logs/")
            || file.toString().contains("/nginx/tmp/")
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
}
