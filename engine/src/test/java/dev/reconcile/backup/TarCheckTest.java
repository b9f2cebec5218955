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
    assertThatCode(() -> TarCheck.readToEnd(new ByteArrayInputStream(tar))).doesNotThrowAnyException();
  }

  @Test
  void aTruncatedArchive_isCaught() {
    assertThatThrownBy(() -> TarCheck.readToEnd(new ByteArrayInputStream(Arrays.copyOf(tar, 2000))))
        .isInstanceOf(IOException.class).hasMessageContaining("truncated");
  }

  @Test
  void aDamagedHeader_isCaught() {
    var damaged = tar.clone();
    damaged[10] ^= 0x20;

    assertThatThrownBy(() -> TarCheck.readToEnd(new ByteArrayInputStream(damaged)))
        .isInstanceOf(IOException.class).hasMessageContaining("damaged");
  }
}
