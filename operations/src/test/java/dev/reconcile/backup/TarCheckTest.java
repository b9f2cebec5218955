package dev.reconcile.backup;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real tars made by the system's tar; then cut short and damaged. */
class TarCheckTest {
  static byte[] tar;

  @BeforeAll
  static void makeTar(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("volume/sub"));
    Files.writeString(dir.resolve("volume/sub/a.txt"), "hello\n");
    Files.write(dir.resolve("volume/b.bin"), new byte[5000]);
    var process = new ProcessBuilder("tar", "-C", dir.toString(), "-c", "volume").start();
    tar = process.getInputStream().readAllBytes();
    process.waitFor();
  }

  @Test
  void aWholeArchive_readsToItsEnd() {
    assertThatCode(() -> TarCheck.readToEnd(new ByteArrayInputStream(tar)))
        .doesNotThrowAnyException();
  }

  @Test
  void aTruncatedArchive_isCaught() {
    assertThatThrownBy(() -> TarCheck.readToEnd(new ByteArrayInputStream(Arrays.copyOf(tar, 2000))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void aDamagedHeader_isCaught() {
    var damaged = tar.clone();
    damaged[10] ^= 0x20;

    assertThatThrownBy(() -> TarCheck.readToEnd(new ByteArrayInputStream(damaged)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("damaged");
  }

  @Test
  void watchingAnUpload_countsTheFiles_andPassesEveryByteOn() throws Exception {
    var watching = new TarCheck.Watching(new ByteArrayInputStream(tar));
    var passed = new java.io.ByteArrayOutputStream();
    // Odd chunk sizes, so headers arrive split across reads.
    var buffer = new byte[97];
    int n;
    while ((n = watching.read(buffer)) >= 0) {
      passed.write(buffer, 0, n);
    }
    org.assertj.core.api.Assertions.assertThat(passed.toByteArray()).isEqualTo(tar);
    org.assertj.core.api.Assertions.assertThat(watching.ended()).isTrue();
    org.assertj.core.api.Assertions.assertThat(watching.files()).isEqualTo(2);
  }

  @Test
  void watchingATruncatedUpload_failsTheReadThatMeetsTheEnd() {
    var watching = new TarCheck.Watching(new ByteArrayInputStream(Arrays.copyOf(tar, 2000)));
    assertThatThrownBy(() -> watching.transferTo(java.io.OutputStream.nullOutputStream()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void watchingADamagedHeader_failsTheReadThatCarriesIt() {
    var damaged = tar.clone();
    damaged[0] ^= 0x55;
    var watching = new TarCheck.Watching(new ByteArrayInputStream(damaged));
    assertThatThrownBy(() -> watching.transferTo(java.io.OutputStream.nullOutputStream()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("damaged");
  }
}
