package dev.reconcile.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.reconcile.history.Snapshot;
import dev.reconcile.history.SnapshotJson;
import dev.reconcile.schemas.Schemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSnapshotStoreTest {

  private static Snapshot snapshot(int serial, String result) {
    return new Snapshot(
        "shop",
        "production",
        serial,
        "lin-1",
        "2026-11-24T19:00:0" + serial + "Z",
        "alice@web-1",
        Optional.of("0123456789abcdef0123456789abcdef01234567"),
        result,
        result.equals("failed")
            ? Optional.of("health at container:shop/production/web: timeout")
            : Optional.empty(),
        List.of(new Snapshot.Container(
            "web",
            "shop/web:1." + serial,
            "sha256:" + "a".repeat(64),
            "blue",
            Optional.of(20001),
            "b".repeat(64),
            Optional.of("{\"env\":{\"A\":\"${A}\"},\"image\":\"shop/web:1\",\"port\":80}"))),
        Optional.of(new Snapshot.Site(
            "c".repeat(64), "d".repeat(64), Optional.of("{\"domains\":[\"a.b\"]}"))),
        Optional.empty(),
        Optional.of("apply"));
  }

  @Test
  void environments_areThoseWithSnapshots_whateverElseIsInTheFolder(@TempDir Path state)
      throws Exception {
    var store = new FileSnapshotStore(state, 3);
    assertThat(store.environments()).as("no history folder yet").isEmpty();
    store.save(snapshot(1, "applied"));
    Files.createDirectories(state.resolve("history/empty.production"));
    Files.writeString(state.resolve("history/notes.txt"), "a file of someone's");
    Files.createDirectories(state.resolve("history/a.b.c"));

    assertThat(store.environments()).containsExactly("shop/production");
  }

  @Test
  void save_keepsOnlyTheNewestAndListsOldestFirst(@TempDir Path state) throws Exception {
    var store = new FileSnapshotStore(state, 3);
    for (int i = 1; i <= 5; i++) {
      store.save(snapshot(i, "applied"));
    }

    assertThat(store.list("shop", "production"))
        .extracting(Snapshot::serial)
        .containsExactly(3, 4, 5);
    try (var files = Files.list(state.resolve("history/shop.production"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("000003.json", "000004.json", "000005.json");
    }
  }

  @Test
  void failedAttempts_neverPushOutTheLastSuccessfulSnapshots(@TempDir Path state) throws Exception {
    var store = new FileSnapshotStore(state, 3);
    for (int i = 1; i <= 4; i++) {
      store.save(snapshot(i, "applied"));
    }
    for (int i = 5; i <= 40; i++) {
      store.save(snapshot(i, i % 2 == 0 ? "failed" : "interrupted"));
    }

    assertThat(store.list("shop", "production"))
        .extracting(s -> s.serial() + " " + s.result())
        .containsExactly(
            "2 applied", "3 applied", "4 applied", "38 failed", "39 interrupted", "40 failed");
    store.save(snapshot(41, "applied"));
    assertThat(store.list("shop", "production"))
        .extracting(Snapshot::serial)
        .containsExactly(3, 4, 38, 39, 40, 41);
  }

  @Test
  void json_roundTripsAndValidatesAgainstTheSnapshotSchema() throws Exception {
    var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(Schemas.text(Schemas.SNAPSHOT));
    for (var s : List.of(snapshot(1, "applied"), snapshot(2, "failed"))) {
      var text = SnapshotJson.write(s);

      assertThat(schema.validate(new ObjectMapper().readTree(text))).isEmpty();
      assertThat(SnapshotJson.read(text)).isEqualTo(s);
    }
  }

  @Test
  void list_noHistory_isEmpty(@TempDir Path state) throws Exception {
    assertThat(new FileSnapshotStore(state, 10).list("shop", "staging")).isEmpty();
  }
}
