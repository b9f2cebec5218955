package dev.reconcile.providers.exec;

import java.io.IOException;
import java.time.Duration;

/** Runs commands somewhere: on this machine, or (later) on a host over SSH. */
public interface CommandRunner {
  /**
   * Runs a command to its end, or kills it after {@code timeout}.
   *
   * @throws IOException when the program cannot be started or timed out; the message says which
   */
  CommandResult run(CommandLine command, Duration timeout) throws IOException;
}
