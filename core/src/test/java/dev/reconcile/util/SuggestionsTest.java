package dev.reconcile.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> KEYS = List.of("domains", "containers", "host", "backup");

  @Test
  void closest_typo_isSuggested() {
    assertThat(Suggestions.closest("domian", KEYS)).contains("domains");
    assertThat(Suggestions.closest("contaners", KEYS)).contains("containers");
  }

  @Test
  void closest_prefix_isSuggested() {
    assertThat(Suggestions.closest("prod", List.of("production", "staging")))
        .contains("production");
  }

  @Test
  void closest_unrelatedWord_suggestsNothing() {
    assertThat(Suggestions.closest("replicas", KEYS)).isEmpty();
  }
}
