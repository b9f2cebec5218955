package dev.reconcile.cli;

import dev.reconcile.cli.view.Terminal;

/** A yes/no asked on the terminal before something that cannot be undone by itself. */
final class Confirmation {
  private Confirmation() {}

  /** Whether the terminal is one a person answers at. */
  static boolean possible(Terminal terminal) {
    return terminal.interactive() && System.console() != null;
  }

  /** Asks; only the word 'yes' agrees. Call when {@link #possible}. */
  static boolean ask(String question) {
    var console = System.console();
    var answer = console == null ? null : console.readLine(question + " Only 'yes' is accepted: ");
    return answer != null && answer.strip().equals("yes");
  }
}
