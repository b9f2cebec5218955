package dev.reconcile.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubstitutionTest {
  private static final Map<String, String> VALUES = Map.of("TAG", "1.4", "EMPTY", "");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "app:${TAG}|app:1.4",
        "app:$TAG|app:1.4",
        "${MISSING:-2.0}|2.0",
        "${EMPTY:-x}|x",
        "${EMPTY-x}|''",
        "${TAG:+on}|on",
        "${MISSING:+on}|''",
        "${MISSING:-${TAG}}|1.4",
        "$$HOME|$HOME",
        "cost $5|cost $5",
        "${unclosed|${unclosed",
        "${1BAD}|${1BAD}",
      })
  void resolve_asComposeDoes(String value, String resolved) {
    var unset = new TreeSet<String>();
    assertThat(Substitution.resolve(value, n -> Optional.ofNullable(VALUES.get(n)), unset))
        .isEqualTo(resolved);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "postgres://u:${PW}@db/x|postgres://u:${PW}@db/x",
        "$PW|${PW}",
        "${PW-guest}|${PW:-guest}",
        "${PW:?set it}|${PW}",
        "${TAG:+on}|on",
        "$$5|$$5",
        "cost $5|cost $$5",
      })
  void rewrite_inProjectsYmlsSyntax(String value, String rewritten) {
    var names = new TreeSet<String>();
    assertThat(Substitution.rewrite(value, n -> Optional.ofNullable(VALUES.get(n)), names))
        .isEqualTo(rewritten);
  }
}
