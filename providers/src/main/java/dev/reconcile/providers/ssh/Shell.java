package dev.reconcile.providers.ssh;

import java.util.List;
import java.util.stream.Collectors;

/** SSH runs a command line through the remote shell: each argument goes single-quoted. */
final class Shell {
  private Shell() {}

  static String quote(List<String> argv) {
    return argv.stream().map(Shell::quote).collect(Collectors.joining(" "));
  }

  static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
