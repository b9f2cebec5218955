package dev.reconcile.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a place in the spec is named in a schema error. */
class SchemaCheckTest {
  @Test
  void describe_aListItem_countsFromOne() {
    assertThat(SchemaCheck.describe(new SpecPath(List.of("projects", "shop", "smoke", "1"))))
        .isEqualTo("item 2 of 'smoke'");
  }

  /** Found by SpecFuzzTest: YAML's "? " makes an empty key, which is no list index. */
  @Test
  void describe_anEmptyKey_isAKey() {
    assertThat(SchemaCheck.describe(new SpecPath(List.of("projects", "")))).isEqualTo("''");
  }

  @Test
  void describe_aKeyOfMoreDigitsThanAnIndexHas_isAKey() {
    assertThat(SchemaCheck.describe(new SpecPath(List.of("projects", "12345678901234567890"))))
        .isEqualTo("'12345678901234567890'");
  }
}
