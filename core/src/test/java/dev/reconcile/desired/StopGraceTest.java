package dev.reconcile.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A declared stop grace is fixed in the container at its creation: hashed only when declared (so
 * containers without one keep their hashes), and read back from the label.
 */
class StopGraceTest {
  private static DesiredContainer web(String fields) {
    return ExpanderTest.shopWeb(fields);
  }

  @Test
  void aStopGrace_isHashedOnlyWhenDeclared_andReadBack() {
    var plain = web("");
    var graced = web(", stop_grace: 45s");

    assertThat(plain.fingerprint().toJson().has("stop_grace_s")).isFalse();
    assertThat(graced.fingerprint().stopGrace()).hasValue(Duration.ofSeconds(45));
    assertThat(graced.specHash()).isNotEqualTo(plain.specHash());
    assertThat(ContainerFingerprint.fromJson(graced.fingerprint().toJson()))
        .contains(graced.fingerprint());
  }
}
