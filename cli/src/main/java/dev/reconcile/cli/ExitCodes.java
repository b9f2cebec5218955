package dev.reconcile.cli;

/** The exit codes of every command; the only place they are defined. */
public final class ExitCodes {
  /** Success, no changes, in sync. */
  public static final int OK = 0;
  /** Bad input, failed apply, unreachable engine, usage error. */
  public static final int ERROR = 1;
  /** Changes present ({@code plan --detailed-exitcode}) or drift found. */
  public static final int CHANGES = 2;
  /** The environment lock is held by someone else. */
  public static final int LOCKED = 3;

  private ExitCodes() {}
}
