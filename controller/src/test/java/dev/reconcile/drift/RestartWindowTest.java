package dev.reconcile.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartWindowTest {
  private static final Instant SNAPSHOT = Instant.parse("2026-12-03T10:00:00Z");
  private static final Instant HEAL = Instant.parse("2026-12-03T10:05:00Z");
  private static final Instant HEAL_ENDED = Instant.parse("2026-12-03T10:06:00Z");

  private static Instant at(String time) {
    return Instant.parse("2026-12-03T" + time + "Z");
  }

  @Test
  void withNoHealUnderWay_everyStartAfterTheSnapshotCounts() {
    var window = new RestartWindow(SNAPSHOT, Optional.empty(), Optional.empty());
    assertThat(window.counts(at("09:59:59"))).isFalse();
    assertThat(window.counts(SNAPSHOT)).isFalse();
    assertThat(window.counts(at("10:00:01"))).isTrue();
    assertThat(window.counts(at("23:00:00"))).isTrue();
  }

  @Test
  void aHealKilledHalfWay_ownsEveryStartFromItsBeginning() {
    var window = new RestartWindow(SNAPSHOT, Optional.of(HEAL), Optional.empty());
    assertThat(window.counts(at("10:04:59"))).isTrue();
    assertThat(window.counts(HEAL)).isFalse();
    assertThat(window.counts(at("10:30:00"))).isFalse();
  }

  @Test
  void aHealThatEndedWithoutRecording_ownsOnlyWhatStartedWhileItRan() {
    var window = new RestartWindow(SNAPSHOT, Optional.of(HEAL), Optional.of(HEAL_ENDED));
    assertThat(window.counts(at("10:04:59"))).isTrue();
    assertThat(window.counts(at("10:05:30"))).isFalse();
    assertThat(window.counts(HEAL_ENDED)).isFalse();
    // The engine restarted after the heal gave up: its containers were started again.
    assertThat(window.counts(at("10:06:01"))).isTrue();
  }
}
