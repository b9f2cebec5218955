package dev.reconcile.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RepeatsTest {
  private static Event event(String env, String type, String outcome, String summary) {
    return new Event("2026-12-02T10:00:00Z", type, env, outcome, summary, Map.of());
  }

  @Test
  void aFailureRepeatedForAWeek_isSentOnce_thenItsChange_thenTheRecovery() {
    var repeats = new Repeats();
    var sent = 0;
    for (int i = 1; i <= 2016; i++) { // every 5 minutes for a week
      if (repeats.test(event(
          "shop/prod", "failure", "failed", "cannot read env_file .env (attempt " + i + ")"))) {
        sent++;
      }
    }
    assertThat(sent).isEqualTo(1);
    assertThat(repeats.test(event("shop/prod", "heal", "failed", "smoke check /health: 502")))
        .as("changed")
        .isTrue();
    assertThat(repeats.test(event("shop/prod", "heal", "failed", "smoke check /health: 502")))
        .isFalse();
    assertThat(repeats.test(event("blog/prod", "heal", "failed", "smoke check /health: 502")))
        .as("another environment's failure is its own")
        .isTrue();
    assertThat(repeats.test(event("shop/prod", "heal", "healed", "back to snapshot #4")))
        .as("recovered")
        .isTrue();
    assertThat(repeats.test(event("shop/prod", "heal", "failed", "smoke check /health: 502")))
        .as("failing again after a recovery is news")
        .isTrue();
  }

  @Test
  void drift_andSuccesses_areAlwaysSent() {
    var repeats = new Repeats();
    for (int i = 0; i < 3; i++) {
      assertThat(repeats.test(event("shop/prod", "drift", "found", "container stopped")))
          .isTrue();
      assertThat(repeats.test(event("shop/prod", "apply", "applied", "2 changes")))
          .isTrue();
    }
  }
}
