package dev.reconcile.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftLedgerTest {
  private static final Instant T1 = Instant.parse("2026-11-30T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-30T11:00:00Z");

  @TempDir
  Path state;

  private static DriftItem item(String environment, String kind) {
    return new DriftItem(
        "drift:" + kind + ":x",
        DriftClass.DRIFT,
        kind,
        environment,
        "container:x",
        "d",
        Optional.empty(),
        "fix");
  }

  private static DriftReport report(DriftItem... items) {
    return new DriftReport(List.of(items), List.of());
  }

  @Test
  void anItemKeepsTheTimeItWasFirstFound_andOnlyNewOnesAreFresh() throws Exception {
    var ledger = new DriftLedger(state);
    var first = ledger.stamp(report(item("a/p", "container-missing")), List.of("a/p"), T1);
    var second = ledger.stamp(
        report(item("a/p", "container-missing"), item("a/p", "site-edited")), List.of("a/p"), T2);

    assertThat(first.fresh()).hasSize(1);
    assertThat(second.report().items())
        .extracting(i -> i.since().orElseThrow())
        .containsExactly(T1.toString(), T2.toString());
    assertThat(second.fresh()).extracting(DriftItem::kind).containsExactly("site-edited");
  }

  @Test
  void whatIsGoneIsForgotten_butEnvironmentsNotComparedKeepTheirs() throws Exception {
    var ledger = new DriftLedger(state);
    ledger.stamp(
        report(item("a/p", "container-missing"), item("b/p", "site-edited")),
        List.of("a/p", "b/p"),
        T1);
    ledger.stamp(report(), List.of("a/p"), T2);

    var again = ledger.stamp(
        report(item("a/p", "container-missing"), item("b/p", "site-edited")),
        List.of("a/p", "b/p"),
        T2);

    assertThat(again.fresh()).extracting(DriftItem::environment).containsExactly("a/p");
  }

  @Test
  void aDamagedFile_onlyLosesTheTimes() throws Exception {
    Files.writeString(state.resolve("drift-seen.json"), "{not json");

    var stamped =
        new DriftLedger(state).stamp(report(item("a/p", "restarted")), List.of("a/p"), T1);

    assertThat(stamped.fresh()).hasSize(1);
    assertThat(Files.readString(state.resolve("drift-seen.json"))).contains("restarted");
  }
}
