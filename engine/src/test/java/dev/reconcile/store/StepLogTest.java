package dev.reconcile.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steps of an apply reach its journal entry, the newest kept, and nothing after the end. */
class StepLogTest {
  @TempDir
  Path state;

  private final ApplyJournal.Entry entry =
      new ApplyJournal.Entry("alice", 42, "2026-12-04T10:00:00Z", "apply");

  @Test
  void theStepsOfAnEnvironment_areInItsEntry_newestLast_atMostTheLastFew() throws Exception {
    var journal = new ApplyJournal(state);
    journal.begin("shop/production", entry);
    try (var steps = new StepLog(journal)) {
      steps.begun("shop/production", entry);
      for (int i = 1; i <= 12; i++) {
        steps.step("shop/production", "container:shop/production/web: step " + i);
      }
      steps.step("blog/production", "not begun here: not recorded");
    }

    var written = journal.unfinished("shop/production").orElseThrow();
    assertThat(written.steps())
        .hasSize(ApplyJournal.Entry.STEPS_KEPT)
        .endsWith("container:shop/production/web: step 12");
    assertThat(written.describe())
        .isEqualTo("the apply by alice (pid 42) started 2026-12-04T10:00:00Z"
            + " (its last step: container:shop/production/web: step 12)");
    assertThat(journal.unfinished("blog/production")).isEmpty();
  }

  @Test
  void afterClose_theEntryCanEnd_andNoStepWritesItAgain() throws Exception {
    var journal = new ApplyJournal(state);
    journal.begin("shop/production", entry);
    var steps = new StepLog(journal);
    steps.begun("shop/production", entry);
    steps.step("shop/production", "site:shop/production: switched");

    steps.close();
    journal.end("shop/production");
    steps.step("shop/production", "too late");
    steps.close();

    assertThat(journal.unfinished("shop/production")).isEmpty();
  }

  @Test
  void anEntryWrittenBeforeStepsWereRecorded_readsWithNone() throws Exception {
    var journal = new ApplyJournal(state);
    Files.createDirectories(state.resolve("journal"));
    Files.writeString(
        state.resolve("journal/shop.production.json"),
        "{\"user\":\"bob\",\"pid\":7,\"started\":\"2026-12-01T09:00:00Z\",\"command\":\"apply\"}");

    var read = journal.unfinished("shop/production").orElseThrow();

    assertThat(read.steps()).isEmpty();
    assertThat(read.describe()).isEqualTo("the apply by bob (pid 7) started 2026-12-01T09:00:00Z");
  }
}
