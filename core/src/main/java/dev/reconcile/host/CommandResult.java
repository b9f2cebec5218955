package dev.reconcile.host;

/** What a finished command did: its exit code and what it printed (merged streams). */
public record CommandResult(CommandLine command, int exitCode, String output) {
  public boolean succeeded() {
    return exitCode == 0;
  }
}
