package dev.reconcile.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static ZonedDateTime at(String iso) {
    return ZonedDateTime.parse(iso);
  }

  @Test
  void firesAt_readsFieldsAsCronDoes() {
    var nightly = CronSchedule.parse("0 2 * * *");
    assertThat(nightly.firesAt(at("2026-11-30T02:00:00Z"))).isTrue();
    assertThat(nightly.firesAt(at("2026-11-30T02:01:00Z"))).isFalse();

    var weekdays = CronSchedule.parse("*/15 9-17 * * 1-5");
    assertThat(weekdays.firesAt(at("2026-11-30T09:45:00Z"))).as("a Monday").isTrue();
    assertThat(weekdays.firesAt(at("2026-11-29T09:45:00Z"))).as("a Sunday").isFalse();

    var sunday = CronSchedule.parse("0 0 * * 7");
    assertThat(sunday.firesAt(at("2026-11-29T00:00:00Z"))).as("7 is Sunday too").isTrue();

    var either = CronSchedule.parse("0 0 1 * 1");
    assertThat(either.firesAt(at("2026-12-01T00:00:00Z")))
        .as("the 1st, a Tuesday")
        .isTrue();
    assertThat(either.firesAt(at("2026-11-30T00:00:00Z")))
        .as("a Monday, the 30th")
        .isTrue();
    assertThat(either.firesAt(at("2026-12-02T00:00:00Z"))).isFalse();
  }

  @Test
  void lastFiring_isTheLatestFiringInTheWindow() {
    var nightly = CronSchedule.parse("0 2 * * *");
    var now = Instant.parse("2026-11-30T10:00:00Z");

    assertThat(nightly.lastFiring(Instant.parse("2026-11-29T10:00:00Z"), now))
        .contains(Instant.parse("2026-11-30T02:00:00Z"));
    assertThat(nightly.lastFiring(Instant.parse("2026-11-30T02:00:00Z"), now)).isEmpty();
  }

  @Test
  void parse_namesTheWrongFieldAndWhy() {
    assertThatThrownBy(() -> CronSchedule.parse("0 25 * * *"))
        .hasMessage("the hour 25 is outside 0-23");
    assertThatThrownBy(() -> CronSchedule.parse("0 2 * *")).hasMessageContaining("has 4");
    assertThatThrownBy(() -> CronSchedule.parse("0 2 * * MON"))
        .hasMessageContaining("names such as MON");
    assertThatThrownBy(() -> CronSchedule.parse("0 5-2 * * *"))
        .hasMessageContaining("runs backwards");
    assertThatThrownBy(() -> CronSchedule.parse("*/0 * * * *"))
        .hasMessage("the minute 0 is outside 1-59");
  }
}
