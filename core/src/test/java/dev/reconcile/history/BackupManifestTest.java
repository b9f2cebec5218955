package dev.reconcile.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackupManifestTest {
  private final BackupManifest manifest = new BackupManifest(
      "shop-production-20261130-120000-ab12",
      "shop",
      "production",
      "2026-11-30T12:00:00Z",
      "before deploy",
      List.of(new BackupManifest.Artifact(
          "volume", "data", "volume-data.tar.gz", 1234, "ab".repeat(32))),
      List.of(new BackupManifest.KeptImage(
          "web",
          "local",
          "sha256:" + "cd".repeat(32),
          "reconcile-backup/shop-web:shop-production-20261130-120000-ab12")));

  @Test
  void write_thenRead_givesItBack() {
    assertThat(BackupManifest.read(manifest.write())).contains(manifest);
    assertThat(manifest.size()).isEqualTo(1234);
  }

  @Test
  void read_anArtifactPathOutOfTheBackup_isNotAManifest() {
    var hostile = manifest.write().replace("volume-data.tar.gz", "../../secret.key");

    assertThat(BackupManifest.read(hostile)).isEmpty();
  }

  @Test
  void read_damagedOrForeignText_isNotAManifest() {
    assertThat(BackupManifest.read("")).isEmpty();
    assertThat(BackupManifest.read("{\"format_version\": 2}")).isEmpty();
    assertThat(BackupManifest.read(manifest.write().substring(0, 100))).isEmpty();
    assertThat(BackupManifest.read(
            manifest.write().replace("\"id\" : \"shop", "\"id\" : 7, \"x\" : \"shop")))
        .isEmpty();
  }
}
