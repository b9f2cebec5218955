package dev.reconcile.cli;

import java.time.Duration;
import java.util.regex.Pattern;

/** Reads durations as projects.yml writes them: {@code 500ms}, {@code 2s}, {@code 1m}. */
final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m)");

  private Durations() {}

  static Duration parse(String text) {
    var m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 2s or 1m");
    }
    var n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }

}
