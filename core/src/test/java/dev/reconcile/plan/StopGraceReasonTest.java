package dev.reconcile.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.ContainerFingerprint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A plan says why a container is replaced when only its stop grace changed. */
class StopGraceReasonTest {
  private static ContainerFingerprint with(Optional<Duration> grace) {
    return new ContainerFingerprint(
        "shop/web:1",
        OptionalInt.of(80),
        Map.of(),
        Set.of(),
        Map.of(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        List.of(),
        grace);
  }

  @Test
  void aChangedStopGrace_isNamed() {
    assertThat(FingerprintReasons.container(
                with(Optional.empty()), with(Optional.of(Duration.ofSeconds(45))), Set.of())
            .stream()
            .map(Reason::text))
        .containsExactly("stop_grace the engine's 10s -> 45s");
  }
}
