package dev.reconcile.cli;

import dev.reconcile.cli.view.Output;
import dev.reconcile.cli.view.Terminal;
import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.validate.SpecValidator;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command: prints help when called without a subcommand. */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Keeps Docker hosts and their nginx front door in the state that",
      "projects.yml declares. Edit projects.yml, check it with",
      "'reconcile validate', and see what would change with 'reconcile plan'."
    },
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = {
      "Exit codes: 0 success or nothing to do; 1 error; 2 changes present",
      "or drift found; 3 the environment lock is held.",
      "",
      "Docs: docs/spec.md (the projects.yml format),",
      "      docs/commands.md (every command)."
    },
    subcommands = {ValidateCommand.class, PlanCommand.class, ApplyCommand.class, RollbackCommand.class,
      DriftCommand.class, WatchCommand.class, HistoryCommand.class, StatusCommand.class, NginxCommand.class, HostsCommand.class,
      BackupCommand.class,
      UnlockCommand.class,
      SchemaCommand.class})
public final class ReconcileCommand implements Runnable, AutoCloseable {
  @Mixin GlobalOptions global = new GlobalOptions();

  @Spec CommandSpec spec;

  private final Terminal terminal;
  private final Supplier<Reconciliation> reconciliation;

  public ReconcileCommand(Terminal terminal) {
    this(terminal, Reconciliation::standard);
  }

  /** @param reconciliation how plans are made; tests pass one with their own providers */
  ReconcileCommand(Terminal terminal, Supplier<Reconciliation> reconciliation) {
    this.terminal = terminal;
    this.reconciliation = reconciliation;
  }

  private Reconciliation made;

  /** One per invocation: its host connections serve planning, the apply and the probes. */
  synchronized Reconciliation reconciliation() {
    if (made == null) {
      made = reconciliation.get();
    }
    return made;
  }

  /** Closes the host connections the command opened. */
  @Override
  public synchronized void close() {
    if (made != null) {
      made.close();
    }
  }

  /**
   * The validated spec of {@code -f}, for commands that need only the model; its problems are
   * printed, and empty means the command exits 1.
   */
  Optional<PlatformSpec> validSpec() {
    var validated = SpecValidator.standard().validate(global.specPath(), global.specShownAs());
    if (validated.spec().isEmpty()) {
      DiagnosticsView.of(Output.text, terminal()).report(global.specShownAs(),
          validated.diagnostics());
    }
    return validated.spec();
  }

  Terminal terminal() {
    return terminal.withColor(!global.noColor && terminal.colorAllowed());
  }

  GlobalOptions global() {
    return global;
  }

  @Override
  public void run() {
    spec.commandLine().usage(terminal.out());
  }
}
