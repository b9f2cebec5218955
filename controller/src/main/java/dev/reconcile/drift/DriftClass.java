package dev.reconcile.drift;

import java.util.Locale;

/** Whether a difference was made outside the tool, or is declared and waits for an apply. */
public enum DriftClass {
  /** What runs differs from the last apply's snapshot: changed by hand, crashed, removed. */
  DRIFT,
  /** projects.yml differs from the last apply's snapshot: not applied yet. */
  PENDING;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
