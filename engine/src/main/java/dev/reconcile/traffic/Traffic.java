package dev.reconcile.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.function.Predicate;

/**
 * Requests over a window: how many, how many answered 5xx.
 *
 * @param window the time they span, ending now
 */
public record Traffic(Duration window, long requests, long serverErrors) {
  public static Traffic of(
      Collection<Request> requests, Instant now, Duration window, Predicate<Request> which) {
    var from = now.minus(window);
    var in = requests.stream()
        .filter(r -> !r.time().isBefore(from) && !r.time().isAfter(now))
        .filter(which)
        .toList();
    return new Traffic(
        window, in.size(), in.stream().filter(Request::serverError).count());
  }

  public double perMinute() {
    return window.isZero() ? 0 : requests * 60_000.0 / window.toMillis();
  }

  /** The share of 5xx answers, 0 to 1; 0 without requests. */
  public double serverErrorShare() {
    return requests == 0 ? 0 : (double) serverErrors / requests;
  }
}
