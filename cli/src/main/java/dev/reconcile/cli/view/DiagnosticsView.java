package dev.reconcile.cli.view;

import dev.reconcile.diag.Diagnostics;
import dev.reconcile.validate.ValidatedSpec;

/** Shows the outcome of validating a spec. */
public sealed interface DiagnosticsView permits TextDiagnosticsView, JsonDiagnosticsView {
  /** Prints problems, or that the spec is valid. */
  void validated(String file, ValidatedSpec result);

  /** Prints diagnostics found on the way to something else (plan, apply); nothing if none. */
  void report(String file, Diagnostics diagnostics);

  static DiagnosticsView of(Output output, Terminal terminal) {
    return switch (output) {
      case text -> new TextDiagnosticsView(terminal);
      case json -> new JsonDiagnosticsView(terminal);
    };
  }
}
