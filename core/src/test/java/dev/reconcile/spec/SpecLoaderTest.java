package dev.reconcile.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {
  private final SpecLoader loader = new SpecLoader();

  @Test
  void load_fiftyMegabyteFile_isRefusedBeforeReading(@TempDir Path dir) throws IOException {
    var file = dir.resolve("projects.yml");
    try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(50L << 20); // sparse: costs no disk, and the loader must not read it
    }

    var loaded = loader.load(file, "projects.yml");

    assertThat(loaded.document()).isEmpty();
    assertThat(loaded.diagnostics().toString())
        .isEqualTo("projects.yml:1:1: error: the file is 50.0 MiB; a spec may be at most 8.0 MiB");
  }

  @Test
  void parse_anEscapeCutShortByTheEnd_isASyntaxError_notACrash() {
    var loaded = loader.parse("version: 1\nname: \"\\u".getBytes(StandardCharsets.UTF_8), "p.yml");

    assertThat(loaded.document()).isEmpty();
    assertThat(loaded.diagnostics().toString())
        .startsWith("p.yml:2:10: error: YAML syntax: the file ends inside an escape sequence");
  }

  @Test
  void load_missingFile_saysSo(@TempDir Path dir) {
    var loaded = loader.load(dir.resolve("nope.yml"), "nope.yml");

    assertThat(loaded.diagnostics().toString()).isEqualTo("nope.yml:1:1: error: no such file");
  }

  @Test
  @org.junit.jupiter.api.Timeout(20)
  void load_fifo_isRefusedWithoutWaitingForAWriter(@TempDir Path dir) throws Exception {
    var fifo = dir.resolve("projects.yml");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    var loaded = new SpecLoader().load(fifo, "projects.yml");

    assertThat(loaded.diagnostics().toString())
        .contains("projects.yml:1:1: error: not a regular file");
  }

  @Test
  void parse_tooManyAliases_isRefused() {
    var limits = new LoadLimits(1 << 20, 3, 1000, 50);
    var yaml = "a: &a [1]\nb: [*a, *a, *a, *a]\n";

    var loaded = new SpecLoader(limits).parse(bytes(yaml), "f.yml");

    assertThat(loaded.document()).isEmpty();
    assertThat(loaded.diagnostics().toString())
        .startsWith("f.yml:1:1: error: the file uses more than 3 aliases of collections");
  }

  @Test
  void parse_byteOrderMark_isIgnored() {
    var loaded = loader.parse(bytes("\uFEFFversion: 1\n"), "f.yml");

    assertThat(loaded.diagnostics().isEmpty()).isTrue();
    assertThat(loaded.document().orElseThrow().root().path("version").asInt()).isEqualTo(1);
  }

  @Test
  void parse_yaml12CoreSchema_keepsYesAsString() {
    var doc = loader
        .parse(bytes("a: yes\nb: true\nc: 010\nd: ~\n"), "f.yml")
        .document()
        .orElseThrow();

    assertThat(doc.root().path("a").isTextual()).isTrue();
    assertThat(doc.root().path("b").booleanValue()).isTrue();
    assertThat(doc.root().path("c").intValue()).isEqualTo(10);
    assertThat(doc.root().path("d").isNull()).isTrue();
  }

  @Test
  void parse_positions_pointAtKeysAndValues() {
    var doc = loader
        .parse(bytes("version: 1\nprojects:\n  shop:\n    host:   local\n"), "f.yml")
        .document()
        .orElseThrow();
    var host = SpecPath.of("projects", "shop", "host");

    assertThat(doc.keyPosition(host).toString()).isEqualTo("f.yml:4:5");
    assertThat(doc.valuePosition(host).toString()).isEqualTo("f.yml:4:13");
    assertThat(doc.valuePosition(host.child("missing")).toString()).isEqualTo("f.yml:4:13");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
