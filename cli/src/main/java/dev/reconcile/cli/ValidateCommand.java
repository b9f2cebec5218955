package dev.reconcile.cli;

import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.validate.SpecValidator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Checks a spec against the schema and the semantic rules and reports every problem. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check projects.yml and report every problem at once.",
      "",
      "Checks the YAML syntax, the JSON Schema, and the rules a schema cannot",
      "say: unique domains, safe URL locations, names, image references, and",
      "references between keys. Problems are printed as",
      "  FILE:LINE:COL: error: MESSAGE",
      "Needs no secrets and touches nothing: safe in CI on every change."
    },
    footer = {
      "",
      "Examples:",
      "  reconcile validate                      # ./projects.yml",
      "  reconcile validate -f deploy/prod.yml",
      "  reconcile validate --output json   # [{file, line, column, message, path}]",
      "",
      "Exit codes: 0 valid (warnings may be shown), 1 invalid."
    })
final class ValidateCommand implements Callable<Integer> {
  @ParentCommand
  ReconcileCommand root;

  @Override
  public Integer call() {
    var global = root.global();
    var result = SpecValidator.standard().validate(global.specPath(), global.specShownAs());
    var view = DiagnosticsView.of(global.output, root.terminal());
    view.validated(global.specShownAs(), result);
    return result.isValid() ? ExitCodes.OK : ExitCodes.ERROR;
  }
}
