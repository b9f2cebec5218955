package dev.reconcile.host;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A command to run: its argv and the values that must never be shown (secrets passed as
 * arguments). {@link #toString()} is safe to log.
 */
public record CommandLine(List<String> argv, Set<String> redactions) {
  public CommandLine {
    argv = List.copyOf(argv);
    redactions = Set.copyOf(redactions);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a command needs at least the program");
    }
  }

  public static CommandLine of(String... argv) {
    return new CommandLine(List.of(argv), Set.of());
  }

  /** The command as a shell-like line with redacted values replaced by {@code <hidden>}. */
  @Override
  public String toString() {
    return argv.stream().map(this::shown).collect(Collectors.joining(" "));
  }

  private String shown(String arg) {
    var safe = arg;
    for (var secret : redactions) {
      if (!secret.isEmpty()) {
        safe = safe.replace(secret, "<hidden>");
      }
    }
    return safe.isEmpty() || safe.matches("[A-Za-z0-9_./:=@%+<>-]+")
        ? safe
        : "'" + safe.replace("'", "'\\''") + "'";
  }
}
