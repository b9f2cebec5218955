package dev.reconcile.watch;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key exponential backoff: the n-th failure in a row of a key waits {@code base * 2^(n-1)},
 * at most {@code cap}; a success forgets the key. Other keys are not slowed.
 */
public final class Backoff {
  private final Duration base;
  private final Duration cap;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  public Backoff(Duration base, Duration cap) {
    this.base = base;
    this.cap = cap;
  }

  /** Counts a failure of the key; returns how long to wait before retrying it. */
  public Duration failed(String key) {
    var n = failures.merge(key, 1, Integer::sum);
    return delay(n);
  }

  /** The wait after {@code n} failures in a row. */
  Duration delay(int n) {
    var shift = Math.min(n - 1, 30);
    var millis = base.toMillis() << shift;
    return millis <= 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
  }

  public void forget(String key) {
    failures.remove(key);
  }

  public int failures(String key) {
    return failures.getOrDefault(key, 0);
  }

  /** The wait the key is in now (zero when it is not failing). */
  public Duration current(String key) {
    var n = failures(key);
    return n == 0 ? Duration.ZERO : delay(n);
  }
}
