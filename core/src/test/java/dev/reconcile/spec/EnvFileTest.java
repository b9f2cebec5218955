package dev.reconcile.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvFileTest {
  @org.junit.jupiter.api.io.TempDir
  java.nio.file.Path dir;

  @Test
  @org.junit.jupiter.api.Timeout(10)
  void read_whatIsNoRegularFile_isRefusedAtOnce_neverReadWithoutEnd() throws Exception {
    var fifo = dir.resolve("fifo.env");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    var zero = java.nio.file.Files.createSymbolicLink(
        dir.resolve("zero.env"), java.nio.file.Path.of("/dev/zero"));
    var loop =
        java.nio.file.Files.createSymbolicLink(dir.resolve("loop.env"), dir.resolve("loop.env"));
    var folder = java.nio.file.Files.createDirectory(dir.resolve("folder.env"));
    var huge =
        java.nio.file.Files.write(dir.resolve("huge.env"), new byte[(int) EnvFile.MAX_BYTES + 1]);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnvFile.read(fifo))
        .hasMessageContaining("not a regular file");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnvFile.read(zero))
        .hasMessageContaining("not a regular file");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnvFile.read(loop))
        .hasMessageContaining("cannot be read");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnvFile.read(folder))
        .hasMessageContaining("a folder");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnvFile.read(huge))
        .hasMessageContaining("more than");
    assertThat(EnvFile.read(dir.resolve("missing.env"))).isEmpty();
  }

  @Test
  void parse_commentsExportAndQuotes_areHandled() {
    var values = EnvFile.parse("""
        # database
        DATABASE_URL=postgres://db/x
        export SECRET_KEY="s3cr=t"
        EMPTY=
        QUOTED='single'
        not a line
        """);

    assertThat(values)
        .containsExactly(
            Map.entry("DATABASE_URL", "postgres://db/x"),
            Map.entry("SECRET_KEY", "s3cr=t"),
            Map.entry("EMPTY", ""),
            Map.entry("QUOTED", "single"));
  }

  @Test
  void lookup_processEnvironment_winsOverFile() {
    var lookup = EnvFile.lookup(Map.of("A", "process"), Map.of("A", "file", "B", "file"));

    assertThat(lookup.apply("A")).contains("process");
    assertThat(lookup.apply("B")).contains("file");
    assertThat(lookup.apply("C")).isEmpty();
  }
}
