package dev.reconcile.util;

import org.jspecify.annotations.Nullable;

/**
 * Guards against programming errors (bugs), never against bad input: input problems are {@link
 * dev.reconcile.diag.Diagnostic}s.
 */
public final class Checks {
  private Checks() {}

  public static void requireState(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalStateException(String.format(format, args));
    }
  }

  /**
   * A value the code knows is there (a map's entry for a key it listed, say): returned, or an
   * internal error when it is not.
   */
  public static <T> T present(@Nullable T value, String format, Object... args) {
    if (value == null) {
      throw new IllegalStateException(String.format(format, args));
    }
    return value;
  }

  public static void requireArgument(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(format, args));
    }
  }
}
