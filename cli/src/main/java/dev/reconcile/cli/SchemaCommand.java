package dev.reconcile.cli;

import dev.reconcile.schemas.Schemas;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Prints a bundled JSON Schema: of projects.yml (for editors and CI) or of plan JSON. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = {
      "Print the JSON Schema (draft 2020-12) of projects.yml, or with",
      "'plan' of the JSON that 'reconcile plan --format json' prints, or with",
      "'drift' of what 'reconcile drift --format json' prints.",
      "",
      "Editors with the YAML language server complete and check the file",
      "with it:",
      "  reconcile schema > projects.schema.json",
      "and, as the first line of projects.yml:",
      "  # yaml-language-server: $schema=./projects.schema.json"
    })
final class SchemaCommand implements Callable<Integer> {
  /** Which schema. */
  enum Kind {
    projects,
    plan,
    drift
  }

  @ParentCommand
  ReconcileCommand root;

  @Parameters(
      arity = "0..1",
      paramLabel = "WHICH",
      defaultValue = "projects",
      description = "projects (default), plan or drift.")
  Kind kind = Kind.projects;

  @Override
  public Integer call() {
    root.terminal()
        .out()
        .print(Schemas.text(
            switch (kind) {
              case projects -> Schemas.PROJECTS;
              case plan -> Schemas.PLAN;
              case drift -> Schemas.DRIFT;
            }));
    root.terminal().out().flush();
    return ExitCodes.OK;
  }
}
