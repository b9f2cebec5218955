package dev.reconcile.cli.view;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.diag.Diagnostics;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.validate.ValidatedSpec;

/**
 * Problems as {@code FILE:LINE:COL: error: MESSAGE} lines on standard error, the way compilers
 * print them (editors jump to them); the verdict line follows.
 */
final class TextDiagnosticsView implements DiagnosticsView {
  private final Terminal terminal;

  TextDiagnosticsView(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public void validated(String file, ValidatedSpec result) {
    printAll(result.diagnostics());
    if (result.spec().isPresent()) {
      terminal
          .out()
          .println(file + ": " + terminal.green("valid") + " ("
              + summary(result.spec().get()) + ")");
    } else {
      terminal.err().println(file + ": " + terminal.red(count(result.diagnostics())));
    }
  }

  @Override
  public void report(String file, Diagnostics diagnostics) {
    printAll(diagnostics);
    if (diagnostics.hasErrors()) {
      terminal.err().println(file + ": " + terminal.red(count(diagnostics)));
    }
  }

  private void printAll(Diagnostics diagnostics) {
    for (var d : diagnostics) {
      terminal.err().println(line(d));
      d.hint().ifPresent(h -> terminal.err().println("  " + terminal.dim("hint: " + h)));
    }
  }

  private String line(Diagnostic d) {
    var label = d.isError()
        ? terminal.red(d.severity().label())
        : terminal.yellow(d.severity().label());
    return terminal.bold(d.position().toString()) + ": " + label + ": " + d.message();
  }

  private static String count(Diagnostics diagnostics) {
    var errors = diagnostics.errorCount();
    return errors + (errors == 1 ? " error" : " errors");
  }

  private static String summary(PlatformSpec spec) {
    var projects = spec.projects().size();
    var environments = spec.projects().values().stream()
        .mapToInt(p -> p.environmentNames().size())
        .sum();
    var containers =
        spec.projects().values().stream().mapToInt(p -> p.containers().size()).sum();
    return plural(projects, "project") + ", " + plural(environments, "environment") + ", "
        + plural(containers, "container");
  }

  private static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
