package dev.reconcile.model;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Limits of one container: a share of the CPUs and a memory ceiling. A container (or every task
 * of a service) is throttled above the CPUs, and killed above the memory, by the engine.
 *
 * @param cpus CPUs, e.g. 0.5 for half of one
 * @param memory bytes
 */
public record Resources(Optional<Double> cpus, OptionalLong memory) {
  /** {@code 256m}, {@code 1g}, {@code 512k}, or a number of bytes. */
  public static OptionalLong bytes(String text) {
    var m = Pattern.compile("([0-9]{1,12})([kmg]?)").matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    var n = Long.parseLong(m.group(1));
    return OptionalLong.of(
        switch (m.group(2)) {
          case "k" -> n << 10;
          case "m" -> n << 20;
          case "g" -> n << 30;
          default -> n;
        });
  }

  /** Nanoseconds of CPU per second, as Docker takes a CPU share. */
  public Optional<Long> nanoCpus() {
    return cpus.map(c -> Math.round(c * 1e9));
  }
}
