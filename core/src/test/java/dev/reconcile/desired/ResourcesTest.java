package dev.reconcile.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.model.Resources;
import org.junit.jupiter.api.Test;

/** Declared limits: parsed, hashed only when present, and named in a plan when changed. */
class ResourcesTest {
  private static DesiredContainer web(String fields) {
    return ExpanderTest.shopWeb(fields);
  }

  @Test
  void limits_areParsed_andHashedOnlyWhenDeclared() {
    var plain = web("");
    var limited = web(", resources: { cpus: 0.25, memory: 512m }");

    assertThat(plain.fingerprint().toJson().has("resources")).isFalse();
    assertThat(limited.spec().resources())
        .contains(
            new Resources(java.util.Optional.of(0.25), java.util.OptionalLong.of(512L << 20)));
    assertThat(limited.specHash()).isNotEqualTo(plain.specHash());
    assertThat(ContainerFingerprint.fromJson(limited.fingerprint().toJson()))
        .contains(limited.fingerprint());
    assertThat(Resources.bytes("1g")).hasValue(1L << 30);
    assertThat(Resources.bytes("12 apples")).isEmpty();
  }
}
