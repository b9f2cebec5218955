package dev.reconcile.cli;

import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.cli.view.Output;
import dev.reconcile.cli.view.Terminal;
import dev.reconcile.engine.Layout;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.validate.SpecValidator;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
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
      "Environment: RECONCILE_PLUGINS, provider plugins to load (jars or",
      "folders, ':'-separated; --version lists what was found);",
      "RECONCILE_DEBUG=1, the stack trace of an internal error.",
      "",
      "Docs: docs/spec.md (the projects.yml format),",
      "      docs/commands.md (every command), docs/plugins.md (plugins)."
    })
public final class ReconcileCommand implements Runnable, AutoCloseable {
  /**
   * The commands, in the order help lists them. Main registers only the one a run names (all of
   * them for help or a name it does not know): picocli builds the model of every registered
   * command at start-up, which is most of its cost.
   */
  static final Map<String, Supplier<Object>> COMMANDS = commands();

  /**
   * What top-level help says of each command, one whole sentence that fits a line: picocli's
   * default, the first line of a command's description, cut sentences mid-way.
   */
  static final Map<String, String> SUMMARIES = Map.ofEntries(
      Map.entry("init", "Write a first, commented projects.yml for one project."),
      Map.entry("import", "Draft projects.yml from a docker compose project."),
      Map.entry("adopt", "Show what an environment took over from compose, or put it back."),
      Map.entry("validate", "Check projects.yml and report every problem at once."),
      Map.entry("plan", "Show what 'reconcile apply' would change, and why."),
      Map.entry("apply", "Make the hosts match projects.yml, without downtime."),
      Map.entry("rollback", "Put a project environment back to an earlier apply."),
      Map.entry("drift", "Find what changed outside reconcile since the last apply."),
      Map.entry("watch", "Run the controller: compare, report or heal, all the time."),
      Map.entry("history", "List the past applies of each project environment."),
      Map.entry("status", "Show what runs for each project environment, and how."),
      Map.entry("logs", "Show what a project's containers print."),
      Map.entry("exec", "Run a command in the container that serves now."),
      Map.entry("run", "Run a command in a throwaway copy of a container."),
      Map.entry("nginx", "Show or stop the nginx that reconcile runs itself."),
      Map.entry("hosts", "Check the hosts of platform.hosts, or trust an SSH key."),
      Map.entry("backup", "Back up project environments; check or restore backups."),
      Map.entry("unlock", "Remove the apply lock of one project environment."),
      Map.entry("state", "Show where the fleet's state lives, or move it there."),
      Map.entry("export", "Export projects.yml as Kubernetes manifests."),
      Map.entry("schema", "Print the JSON Schema of projects.yml, plan or drift."),
      Map.entry("completion", "Print a completion script for bash or zsh."));

  /** The command list of top-level help: each command and its whole summary. */
  static String commandList(CommandLine.Help help) {
    var out = new StringBuilder();
    var width = COMMANDS.keySet().stream().mapToInt(String::length).max().orElse(10) + 2;
    for (var name : COMMANDS.keySet()) {
      if (help.subcommands().containsKey(name)) {
        out.append("  ")
            .append(name)
            .append(" ".repeat(width - name.length()))
            .append(SUMMARIES.getOrDefault(name, ""))
            .append(System.lineSeparator());
      }
    }
    return out.toString();
  }

  private static Map<String, Supplier<Object>> commands() {
    var out = new LinkedHashMap<String, Supplier<Object>>();
    out.put("init", InitCommand::new);
    out.put("import", ImportCommand::new);
    out.put("adopt", AdoptCommand::new);
    out.put("validate", ValidateCommand::new);
    out.put("plan", PlanCommand::new);
    out.put("apply", ApplyCommand::new);
    out.put("rollback", RollbackCommand::new);
    out.put("drift", DriftCommand::new);
    out.put("watch", WatchCommand::new);
    out.put("history", HistoryCommand::new);
    out.put("status", StatusCommand::new);
    out.put("logs", LogsCommand::new);
    out.put("exec", ExecCommand::new);
    out.put("run", RunCommand::new);
    out.put("nginx", NginxCommand::new);
    out.put("hosts", HostsCommand::new);
    out.put("backup", BackupCommand::new);
    out.put("unlock", UnlockCommand::new);
    out.put("state", StateCommand::new);
    out.put("export", ExportCommand::new);
    out.put("schema", SchemaCommand::new);
    out.put("completion", CompletionCommand::new);
    return Collections.unmodifiableMap(out);
  }

  @Mixin
  GlobalOptions global = new GlobalOptions();

  @Spec
  CommandSpec spec;

  private final Terminal terminal;
  private final Supplier<Reconciliation> reconciliation;
  private final Caller caller;

  public ReconcileCommand(Terminal terminal) {
    this(terminal, Caller.thisProcess());
  }

  ReconcileCommand(Terminal terminal, Caller caller) {
    this(terminal, () -> Reconciliation.standard(caller.env()), caller);
  }

  /** @param reconciliation how plans are made; tests pass one with their own providers */
  ReconcileCommand(Terminal terminal, Supplier<Reconciliation> reconciliation) {
    this(terminal, reconciliation, Caller.thisProcess());
  }

  private ReconcileCommand(
      Terminal terminal, Supplier<Reconciliation> reconciliation, Caller caller) {
    this.terminal = terminal;
    this.reconciliation = reconciliation;
    this.caller = caller;
    global.base = caller.cwd();
  }

  /** Whom this run is for: its environment, directory and signals. */
  Caller caller() {
    return caller;
  }

  /** The variables of the caller's environment. */
  java.util.Map<String, String> env() {
    return caller.env();
  }

  private @Nullable Reconciliation made;

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
      DiagnosticsView.of(Output.text, terminal())
          .report(global.specShownAs(), validated.diagnostics());
    }
    return validated.spec();
  }

  /**
   * Where projects.yml keeps its state (on its server when it runs projects over SSH); empty,
   * having said why, when that state cannot be read.
   */
  Optional<Layout> layout(PlatformSpec spec) {
    try {
      return Optional.of(reconciliation().layout(global.specPath(), spec));
    } catch (UncheckedIOException e) {
      terminal().err().println("reconcile: " + e.getMessage());
      return Optional.empty();
    }
  }

  Terminal terminal() {
    return terminal.withColor(!global.noColor && terminal.colorAllowed(caller.env()));
  }

  GlobalOptions global() {
    return global;
  }

  @Override
  public void run() {
    spec.commandLine().usage(terminal.out());
  }
}
