package dev.reconcile.cli;

import dev.reconcile.schemas.Schemas;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Prints the JSON Schema of projects.yml for editors and CI. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = {
      "Print the JSON Schema (draft 2020-12) of projects.yml.",
      "",
      "Editors with the YAML language server complete and check the file",
      "with it:",
      "  reconcile schema > projects.schema.json",
      "and, as the first line of projects.yml:",
      "  # yaml-language-server: $schema=./projects.schema.json"
    })
final class SchemaCommand implements Callable<Integer> {
  @ParentCommand ReconcileCommand root;

  @Override
  public Integer call() {
    root.terminal().out().print(Schemas.text(Schemas.PROJECTS));
    root.terminal().out().flush();
    return ExitCodes.OK;
  }
}
