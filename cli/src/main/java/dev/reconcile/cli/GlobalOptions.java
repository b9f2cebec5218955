package dev.reconcile.cli;

import dev.reconcile.cli.view.Output;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes; set on the root and inherited by subcommands. */
public final class GlobalOptions {
  @Option(
      names = {"-f", "--file"},
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "The spec to read (default: ${DEFAULT-VALUE}).",
      defaultValue = "projects.yml")
  String file = "projects.yml";

  @Option(
      names = "--no-color",
      scope = ScopeType.INHERIT,
      description =
          "Never color the output (color is used only on a terminal; NO_COLOR is honored).")
  boolean noColor;

  @Option(
      names = "--output",
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description =
          "How results are printed: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). JSON is for "
              + "validate and backup; plan and drift have --format json; other commands refuse it.",
      defaultValue = "text")
  Output output = Output.text;

  /** What a relative -f is relative to: the caller's directory. */
  Path base = Path.of("");

  public Path specPath() {
    return base.resolve(file);
  }

  /** The spec file as the user named it, for messages. */
  public String specShownAs() {
    return file;
  }
}
