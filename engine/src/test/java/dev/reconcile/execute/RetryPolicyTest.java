package dev.reconcile.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.provider.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final List<Duration> slept = new ArrayList<>();
  private final RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(500), slept::add);
  private int calls;

  private static ProviderException.Transient transientFault() {
    return new ProviderException.Transient("host local", "engine restarting", "", null);
  }

  @Test
  void call_transientTwiceThenOk_retriesWithDoublingWaits() throws Exception {
    var result = policy.call(() -> {
      if (++calls < 3) {
        throw transientFault();
      }
      return "ok";
    });

    assertThat(result).isEqualTo("ok");
    assertThat(slept).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
  }

  @Test
  void call_alwaysTransient_givesUpAfterTheLastAttempt() {
    assertThatThrownBy(() -> policy.call(() -> {
          calls++;
          throw transientFault();
        }))
        .isInstanceOf(ProviderException.Transient.class);
    assertThat(calls).isEqualTo(3);
  }

  @Test
  void call_terminal_isNeverRetried() {
    assertThatThrownBy(() -> policy.call(() -> {
          calls++;
          throw new ProviderException.Terminal("host local", "no such image", "", null);
        }))
        .isInstanceOf(ProviderException.Terminal.class);
    assertThat(calls).isEqualTo(1);
    assertThat(slept).isEmpty();
  }
}
