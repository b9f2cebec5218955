package dev.reconcile.util;

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

  public static void requireArgument(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(format, args));
    }
  }
}
