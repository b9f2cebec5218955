package dev.reconcile.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.history.BackupManifest;
import dev.reconcile.model.BackupPolicy;
import dev.reconcile.model.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Daily, weekly and monthly retention over a synthetic calendar, and when a schedule is due. */
class RetentionTest {
  /** One backup a day at 02:00 UTC for a year, newest first. */
  private static List<BackupManifest> aYearOfNightlies() {
    var out = new ArrayList<BackupManifest>();
    var day = Instant.parse("2026-11-30T02:00:00Z");
    for (int i = 0; i < 365; i++) {
      var at = day.minus(Duration.ofDays(i));
      out.add(new BackupManifest(
          "b" + at, "shop", "production", at.toString(), "scheduled", List.of(), List.of()));
    }
    return out;
  }

  @Test
  void keepDailyWeeklyMonthly_keepsTheNewestOfEachPeriod() {
    var all = aYearOfNightlies();
    var kept = new HashMap<String, String>();

    Retention.keepNewestPer(all, 7, "day", t -> t.toLocalDate().toString(), kept);
    Retention.keepNewestPer(
        all,
        4,
        "week",
        t -> t.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR) + "-W"
            + t.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR),
        kept);
    Retention.keepNewestPer(all, 12, "month", t -> t.getYear() + "-" + t.getMonthValue(), kept);

    // 7 days (Nov 24-30); weeks: this one (Nov 30, a Monday) is already kept, then the Sundays
    // Nov 29, 22, 15; months: Nov (kept) and the last days of the 11 months before.
    assertThat(kept)
        .containsEntry("b2026-11-24T02:00:00Z", "the newest of day 2026-11-24 (keep_daily 7)")
        .containsEntry("b2026-11-22T02:00:00Z", "the newest of week 2026-W47 (keep_weekly 4)")
        .containsEntry("b2026-10-31T02:00:00Z", "the newest of month 2026-10 (keep_monthly 12)")
        .containsEntry("b2025-12-31T02:00:00Z", "the newest of month 2025-12 (keep_monthly 12)")
        .doesNotContainKey("b2026-11-23T02:00:00Z");
    assertThat(kept).hasSize(7 + 2 + 11);
  }

  @Test
  void policyWithOnlyKeep_keepsNoPeriods() {
    var policy = new BackupPolicy(true, List.of(), 5, Optional.empty());

    assertThat(policy.keepDaily() + policy.keepWeekly() + policy.keepMonthly()).isZero();
  }

  @Test
  void due_whenTheScheduleFiredSinceTheNewestBackup() {
    var nightly = CronSchedule.parse("0 2 * * *");
    var now = Instant.parse("2026-11-30T02:05:00Z");

    assertThat(Retention.due(nightly, Optional.of(Instant.parse("2026-11-29T02:00:30Z")), now))
        .isTrue();
    assertThat(Retention.due(nightly, Optional.of(Instant.parse("2026-11-30T02:00:10Z")), now))
        .isFalse();
    assertThat(Retention.due(nightly, Optional.empty(), now))
        .as("never backed up")
        .isTrue();
  }
}
