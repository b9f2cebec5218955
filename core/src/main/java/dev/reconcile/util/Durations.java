package dev.reconcile.util;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Durations as projects.yml and the command line write them: a whole number followed by
 * {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} ({@code 500ms}, {@code 2s}), of at most nine
 * digits.
 */
public final class Durations {
  // At most nine digits: no duration the tool accepts overflows a long of nanoseconds.
  private static final Pattern FORM = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /** The duration, or empty when the text is not one. */
  public static Optional<Duration> parse(String text) {
    var m = FORM.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    var n = Long.parseLong(m.group(1));
    return Optional.of(
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofHours(n);
        });
  }
}
