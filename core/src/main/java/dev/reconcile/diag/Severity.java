package dev.reconcile.diag;

import java.util.Locale;

/** How bad a diagnostic is: an error stops the command, a warning is shown and passed. */
public enum Severity {
  ERROR,
  WARNING;

  /** The word printed in {@code file:line:col: error: ...}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
