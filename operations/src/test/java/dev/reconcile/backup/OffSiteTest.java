package dev.reconcile.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.engine.Hosts;
import dev.reconcile.history.BackupManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Off-site copies through the host seam, on this machine (the same code drives a server over
 * SFTP; BackupIT runs it against a real sshd).
 */
class OffSiteTest {
  @TempDir
  Path state;

  @TempDir
  Path remote;

  private final BackupStore store() {
    return new BackupStore(state);
  }

  private OffSite offSite() throws Exception {
    return new OffSite(
        Hosts.discover().thisMachine(), remote.resolve("copies"), "the test's folder");
  }

  private static BackupManifest.Artifact artifact(Path file, String kind) throws IOException {
    var bytes = Files.readAllBytes(file);
    var sha = HexFormat.of().formatHex(Artifacts.sha256().digest(bytes));
    return new BackupManifest.Artifact(
        kind, "data", file.getFileName().toString(), bytes.length, sha);
  }

  /** A committed local backup with a gzipped dump and a plain file. */
  private BackupManifest backup(String id) throws Exception {
    var partial = store().begin(id);
    var gz = new ByteArrayOutputStream();
    try (var out = new GZIPOutputStream(gz)) {
      out.write("create table t(a);\n".repeat(5000).getBytes());
    }
    Files.write(partial.resolve("database-main.sql.gz"), gz.toByteArray());
    Files.writeString(partial.resolve("site.conf"), "server {}\n");
    var manifest = new BackupManifest(
        id,
        "shop",
        "production",
        "2026-11-30T10:00:00Z",
        "on demand",
        List.of(
            artifact(partial.resolve("database-main.sql.gz"), "database"),
            artifact(partial.resolve("site.conf"), "site")),
        List.of());
    store().commit(partial, manifest);
    return manifest;
  }

  @Test
  void put_makesAListedWholeCopy_andPuttingAgainChangesNothing() throws Exception {
    var manifest = backup("b1");

    offSite().put(store(), manifest);
    offSite().put(store(), manifest);

    assertThat(offSite().list()).extracting(BackupManifest::id).containsExactly("b1");
    assertThat(offSite().verify(manifest, true)).isEmpty();
    try (var names = Files.list(remote.resolve("copies"))) {
      assertThat(names.map(p -> p.getFileName().toString()).toList()).containsExactly("b1");
    }
  }

  @Test
  void aDamagedCopy_isNamedByVerify_andIsNeverFetched() throws Exception {
    var manifest = backup("b1");
    offSite().put(store(), manifest);
    var copy = remote.resolve("copies/b1/database-main.sql.gz");
    var bytes = Files.readAllBytes(copy);
    bytes[bytes.length / 2] ^= 0x33;
    Files.write(copy, bytes);
    store().delete(manifest);

    assertThat(offSite().verify(manifest, true))
        .singleElement()
        .asString()
        .startsWith("database-main.sql.gz: SHA-256");
    assertThatThrownBy(() -> offSite().fetch(manifest, store())).hasMessageContaining("is damaged");
    assertThat(store().list()).as("no half-fetched backup is listed").isEmpty();
  }

  @Test
  void fetch_bringsTheLocalCopyBack_whole() throws Exception {
    var manifest = backup("b1");
    offSite().put(store(), manifest);
    store().delete(manifest);
    assertThat(store().find("b1")).isEmpty();

    offSite().fetch(manifest, store());

    assertThat(store().find("b1")).contains(manifest);
    assertThat(
            Artifacts.check(manifest, a -> Files.newInputStream(store().file(manifest, a)), true))
        .isEmpty();
  }

  @Test
  void aCopyThatFailsMidway_leavesNothingListed() throws Exception {
    var manifest = backup("b1");
    Files.delete(store().file(manifest, manifest.artifacts().getLast()));

    assertThatThrownBy(() -> offSite().put(store(), manifest)).isInstanceOf(IOException.class);

    assertThat(offSite().list()).isEmpty();
    assertThat(remote.resolve("copies")).isEmptyDirectory();
  }

  @Test
  void delete_removesTheCopy() throws Exception {
    var manifest = backup("b1");
    offSite().put(store(), manifest);

    offSite().delete(manifest);
    offSite().delete(manifest);

    assertThat(offSite().find("b1")).isEmpty();
    assertThat(remote.resolve("copies")).isEmptyDirectory();
  }

  @Test
  void aTruncatedDumpWithTheRecordedChecksum_isCaughtByReadingItToItsEnd() throws Exception {
    var partial = store().begin("b2");
    var gz = new ByteArrayOutputStream();
    try (var out = new GZIPOutputStream(gz)) {
      out.write(new byte[100_000]);
    }
    var cut = java.util.Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
    Files.write(partial.resolve("database-main.sql.gz"), cut);
    var manifest = new BackupManifest(
        "b2",
        "shop",
        "production",
        "2026-11-30T10:00:00Z",
        "on demand",
        List.of(artifact(partial.resolve("database-main.sql.gz"), "database")),
        List.of());
    store().commit(partial, manifest);

    var problems =
        Artifacts.check(manifest, a -> Files.newInputStream(store().file(manifest, a)), true);
    var sizesOnly =
        Artifacts.check(manifest, a -> Files.newInputStream(store().file(manifest, a)), false);

    assertThat(problems)
        .singleElement()
        .asString()
        .contains("database-main.sql.gz: cannot be read to its end");
    assertThat(sizesOnly).isEmpty();
  }
}
