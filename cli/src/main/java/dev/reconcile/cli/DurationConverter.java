package dev.reconcile.cli;

import dev.reconcile.util.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 500ms}, {@code 2s}, {@code 1m}; anything else is a usage error, not a crash. */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return Durations.parse(value)
        .orElseThrow(() ->
            new TypeConversionException("'" + value + "' is not a duration like 500ms, 2s or 1m"));
  }
}
