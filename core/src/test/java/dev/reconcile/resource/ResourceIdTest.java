package dev.reconcile.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceIdTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "container:shop/production/backend",
        "site:shop/production",
        "volume:shop/staging/data"
      })
  void parse_printedId_roundTrips(String text) {
    assertThat(ResourceId.parse(text).toString()).isEqualTo(text);
  }

  @Test
  void parse_container_readsEveryPart() {
    var id = ResourceId.parse("container:shop/production/backend");

    assertThat(id).isEqualTo(ResourceId.container("shop", "production", "backend"));
    assertThat(id.environmentKey()).isEqualTo("shop/production");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "shop/production",
        "pod:shop/production/x",
        "site:shop/production/x",
        "container:shop/production",
        "container:Shop/production/x",
        "volume:a/b/c/d"
      })
  void parse_malformed_isRefusedWithAReason(String text) {
    assertThatThrownBy(() -> ResourceId.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'");
  }

  @Test
  void compareTo_ordersByProjectEnvironmentThenKind() {
    var site = ResourceId.site("a", "prod");
    var volume = ResourceId.volume("a", "prod", "z");
    var container = ResourceId.container("a", "prod", "web");
    var other = ResourceId.volume("b", "prod", "a");

    assertThat(java.util.stream.Stream.of(other, site, container, volume).sorted())
        .containsExactly(volume, container, site, other);
  }
}
