package dev.reconcile.cli.view;

import dev.reconcile.compose.Draft;
import java.util.List;

/** What {@code reconcile import compose} says. */
public final class ImportView {
  private final Terminal terminal;

  public ImportView(Terminal terminal) {
    this.terminal = terminal;
  }

  public void refused(String why) {
    terminal.err().println("reconcile: " + why);
    terminal.err().flush();
  }

  public void notValid() {
    terminal
        .err()
        .println("Nothing was written: the draft does not validate (above). A --domain"
            + " or --project flag may be at fault; otherwise this is a bug in import.");
    terminal.err().flush();
  }

  public void written(
      String spec, Draft draft, List<String> sources, String envFile, boolean envWritten) {
    var out = terminal.out();
    out.println("Wrote " + spec + ": " + draft.containers().size() + " container(s) ("
        + String.join(", ", draft.containers()) + ") from " + String.join(", ", sources) + ".");
    if (envWritten) {
      out.println("Wrote " + envFile + " (mode 0600): " + draft.envValues().size()
          + " value(s) its ${VAR}s take. Keep it out of git.");
    }
    if (draft.leftOut() > 0) {
      out.println(draft.leftOut() + " thing(s) compose does are not carried over: each is a"
          + " '# not carried over' line in " + spec + ", with why.");
    }
    out.println("Next:");
    out.println("  reconcile validate        # check it");
    out.println("  reconcile plan            # what the first apply would do; changes nothing");
    out.flush();
  }
}
