package dev.reconcile.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --project} and {@code --env}, for every command that works on a selection. */
final class SelectionOptions {
  @Option(
      names = "--project",
      paramLabel = "NAME",
      description = "Only this project (repeatable). Default: all.")
  List<String> projects = new ArrayList<>();

  @Option(
      names = "--env",
      paramLabel = "NAME",
      description = "Only this environment (repeatable). Default: all.")
  List<String> environments = new ArrayList<>();

  boolean includes(String project, String environment) {
    return (projects.isEmpty() || projects.contains(project))
        && (environments.isEmpty() || environments.contains(environment));
  }
}
