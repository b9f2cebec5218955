package dev.reconcile.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InterpolationTest {
  private static final Map<String, String> VARS = Map.of("USER", "app", "HOST", "db");

  private static Interpolation.Resolved resolve(String template) {
    return Interpolation.resolve(template, name -> Optional.ofNullable(VARS.get(name)));
  }

  @Test
  void resolve_references_areFilledIn() {
    assertThat(resolve("postgres://${USER}@${HOST}/x"))
        .isEqualTo(new Interpolation.Resolved.Value("postgres://app@db/x"));
  }

  @Test
  void resolve_default_isUsedOnlyWhenUnset() {
    assertThat(resolve("${PORT:-5432} ${HOST:-other}"))
        .isEqualTo(new Interpolation.Resolved.Value("5432 db"));
  }

  @Test
  void resolve_missingVariables_areAllReported() {
    assertThat(resolve("${A}-${USER}-${B}"))
        .isEqualTo(new Interpolation.Resolved.Missing(List.of("A", "B")));
  }

  @Test
  void resolve_doubleDollar_isALiteralDollar() {
    assertThat(resolve("price: $$5 and $HOME"))
        .isEqualTo(new Interpolation.Resolved.Value("price: $5 and $HOME"));
  }

  @Test
  void parse_malformed_isAnError() {
    assertThat(Interpolation.parse("${OPEN")).isInstanceOf(Interpolation.Parsed.Error.class);
    assertThat(Interpolation.parse("${}")).isInstanceOf(Interpolation.Parsed.Error.class);
    assertThat(Interpolation.parse("${A B}")).isInstanceOf(Interpolation.Parsed.Error.class);
  }

  @Test
  void references_listsNames() {
    assertThat(Interpolation.references("${A}:${B:-x}:C")).containsExactly("A", "B");
  }
}
