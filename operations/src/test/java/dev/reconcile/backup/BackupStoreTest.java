package dev.reconcile.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.history.BackupManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupStoreTest {
  @TempDir
  Path state;

  private static BackupManifest manifest(String id, String created) {
    return new BackupManifest(id, "shop", "production", created, "on demand", List.of(), List.of());
  }

  private Backups backups() throws Exception {
    var spec = dev.reconcile.validate.SpecValidator.standard()
        .validate("""
        version: 1
        platform: { history: 3 }
        projects:
          shop:
            domains: { production: shop.example.com }
            containers: { web: { image: "example/shop:1", port: 8080 } }
        """.getBytes(java.nio.charset.StandardCharsets.UTF_8), "p.yml")
        .spec()
        .orElseThrow();
    return new Backups(
        spec,
        new dev.reconcile.engine.Layout(state, state, state.resolve("sites"), "o"),
        null,
        dev.reconcile.engine.Hosts.discover(),
        java.time.Clock.systemUTC());
  }

  private void snapshotNaming(int serial, String backupId) throws Exception {
    var snapshot = new dev.reconcile.history.Snapshot(
        "shop",
        "production",
        serial,
        "lineage-1",
        "2026-11-30T0" + serial + ":00:00Z",
        "test",
        java.util.Optional.empty(),
        "applied",
        java.util.Optional.empty(),
        List.of(),
        java.util.Optional.empty(),
        java.util.Optional.of(backupId),
        java.util.Optional.of("apply"));
    new dev.reconcile.store.FileSnapshotStore(state, 3).save(snapshot);
  }

  @Test
  void prune_keepsABackupThatAKeptSnapshotNames_andSaysWhy() throws Exception {
    var store = new BackupStore(state);
    for (int i = 10; i < 16; i++) {
      store.commit(store.begin("b" + i), manifest("b" + i, "2026-11-30T" + i + ":00:00Z"));
    }
    snapshotNaming(1, "b11");

    var kept = backups().keptBecause("shop", "production", 2);
    backups().prune("shop", "production", 2);

    assertThat(kept)
        .containsEntry("b15", "the newest")
        .containsEntry("b14", "one of the newest 2 (backup.keep)")
        .containsEntry("b11", "snapshot #1 names it")
        .hasSize(3);
    assertThat(store.list()).extracting(BackupManifest::id).containsExactly("b15", "b14", "b11");
  }

  @Test
  void aBackupBegunAndNotCommitted_isNeverListed() throws Exception {
    var store = new BackupStore(state);
    var partial = store.begin("shop-production-1");
    Files.writeString(partial.resolve("volume-data.tar.gz"), "half");

    assertThat(store.list()).isEmpty();
    assertThat(store.find("shop-production-1")).isEmpty();
  }

  @Test
  void committed_isListedNewestFirst_andFoundById() throws Exception {
    var store = new BackupStore(state);
    store.commit(store.begin("a"), manifest("a", "2026-11-30T10:00:00Z"));
    store.commit(store.begin("b"), manifest("b", "2026-11-30T11:00:00Z"));

    assertThat(store.list()).extracting(BackupManifest::id).containsExactly("b", "a");
    assertThat(store.find("a")).isPresent();
    assertThat(store.find("../a")).isEmpty();
    assertThat(store.find(".partial-a")).isEmpty();
  }

  @Test
  void prune_keepsTheNewestKeep_andAlwaysTheNewest() throws Exception {
    var store = new BackupStore(state);
    for (int i = 10; i < 22; i++) {
      store.commit(store.begin("b" + i), manifest("b" + i, "2026-11-30T" + i + ":00:00Z"));
    }
    assertThat(store.list()).hasSize(12);
    var gone = backups().prune("shop", "production", 5);

    assertThat(gone).hasSize(7);
    assertThat(store.list())
        .extracting(BackupManifest::id)
        .containsExactly("b21", "b20", "b19", "b18", "b17");
    backups().prune("shop", "production", 0);
    assertThat(store.list()).extracting(BackupManifest::id).containsExactly("b21");
  }
}
