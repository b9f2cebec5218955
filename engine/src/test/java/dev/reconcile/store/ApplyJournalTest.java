package dev.reconcile.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyJournalTest {
  @TempDir
  Path state;

  @Test
  void anApplyThatEndedWithoutRecording_keepsItsEntry_andSaysWhenItEnded() throws Exception {
    var journal = new ApplyJournal(state);
    journal.begin(
        "shop/production", new ApplyJournal.Entry("ci", 7, "2026-12-03T10:05:00Z", "heal"));
    journal.endedUnrecorded("shop/production", "2026-12-03T10:06:00Z");
    var entry = journal.unfinished("shop/production").orElseThrow();
    assertThat(entry.started()).isEqualTo("2026-12-03T10:05:00Z");
    assertThat(entry.ended()).isEqualTo("2026-12-03T10:06:00Z");
    assertThat(entry.describe())
        .isEqualTo("the heal by ci (pid 7) started 2026-12-03T10:05:00Z and ended "
            + "2026-12-03T10:06:00Z without recording what it did");
  }

  @Test
  void endingUnrecorded_whatWasNeverBegun_writesNothing() throws Exception {
    var journal = new ApplyJournal(state);
    journal.endedUnrecorded("shop/production", "2026-12-03T10:06:00Z");
    assertThat(journal.unfinished("shop/production")).isEmpty();
  }

  @Test
  void anEntryWrittenBeforeEndsWereKept_stillReads() throws Exception {
    Files.createDirectories(state.resolve("journal"));
    Files.writeString(
        state.resolve("journal/shop.production.json"),
        "{\"user\":\"ci\",\"pid\":7,\"started\":\"2026-12-03T10:05:00Z\",\"command\":\"apply\"}");
    var entry = new ApplyJournal(state).unfinished("shop/production").orElseThrow();
    assertThat(entry.ended()).isNull();
    assertThat(entry.describe()).isEqualTo("the apply by ci (pid 7) started 2026-12-03T10:05:00Z");
  }
}
