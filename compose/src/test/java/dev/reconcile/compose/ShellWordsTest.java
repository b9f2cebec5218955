package dev.reconcile.compose;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShellWordsTest {
  @Test
  void split_likeASh_withoutExpanding() {
    assertThat(ShellWords.split("python -m app \"a b\" 'c $d' e\\ f  \"\\\"q\\\"\""))
        .containsExactly("python", "-m", "app", "a b", "c $d", "e f", "\"q\"");
    assertThat(ShellWords.split("  ")).isEmpty();
    assertThat(ShellWords.split("x ''")).containsExactly("x", "");
  }
}
