package dev.reconcile.execute;

import dev.reconcile.provider.ProviderException;
import java.time.Duration;

/**
 * Retries idempotent provider calls on transient faults (an engine restarting, a timeout), with
 * exponential backoff; terminal faults and the last transient one are thrown. Calls that are not
 * idempotent (creating a container) are never retried: their failure rolls back instead.
 *
 * @param attempts calls in all, the first included
 * @param firstDelay the wait before the second attempt; each later wait doubles
 */
public record RetryPolicy(int attempts, Duration firstDelay, Sleeper sleeper) {
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(3, Duration.ofMillis(500), d -> Thread.sleep(d.toMillis()));

  /** Waits; tests pass one that records instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** A provider call. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws ProviderException;
  }

  /** A provider call that answers nothing. */
  @FunctionalInterface
  public interface Act {
    void run() throws ProviderException;
  }

  /** Runs an act as {@link #call} runs a call. */
  public void run(Act act) throws ProviderException, InterruptedException {
    call(() -> {
      act.run();
      return Boolean.TRUE;
    });
  }

  public <T> T call(Call<T> call) throws ProviderException, InterruptedException {
    var delay = firstDelay;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (ProviderException.Transient e) {
        if (attempt >= attempts) {
          throw e;
        }
        sleeper.sleep(delay);
        delay = delay.multipliedBy(2);
      }
    }
  }
}
