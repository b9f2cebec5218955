package dev.reconcile.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.history.BackupManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupStoreTest {
  @TempDir Path state;

  private static BackupManifest manifest(String id, String created) {
    return new BackupManifest(id, "shop", "production", created, "on demand", List.of(), List.of());
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
    var gone = new Backups(null, new dev.reconcile.engine.Layout(state, state, state.resolve("sites"), "o"), null,
        java.time.Clock.systemUTC()).prune("shop", "production", 5);

    assertThat(gone).hasSize(7);
    assertThat(store.list()).extracting(BackupManifest::id).containsExactly("b21", "b20", "b19", "b18", "b17");
    new Backups(null, new dev.reconcile.engine.Layout(state, state, state.resolve("sites"), "o"), null,
        java.time.Clock.systemUTC()).prune("shop", "production", 0);
    assertThat(store.list()).extracting(BackupManifest::id).containsExactly("b21");
  }
}
