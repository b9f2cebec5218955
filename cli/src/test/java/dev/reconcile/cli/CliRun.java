package dev.reconcile.cli;

import dev.reconcile.cli.view.Terminal;
import dev.reconcile.engine.Reconciliation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** One in-process run of the CLI with captured output. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(String... args) {
    return with(null, args);
  }

  /** Runs with a Reconciliation of the test's making (its own providers); null for the standard. */
  static CliRun with(Supplier<Reconciliation> reconciliation, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code;
    try (var o = new PrintStream(out, true, StandardCharsets.UTF_8);
        var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      var terminal = Terminal.captured(o, e);
      code = reconciliation == null
          ? Main.run(terminal, args)
          : Main.run(new ReconcileCommand(terminal, reconciliation), terminal, args);
    }
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
