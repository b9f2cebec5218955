package dev.reconcile.cli;

import dev.reconcile.audit.Trail;
import dev.reconcile.backup.BeforeDeploy;
import dev.reconcile.cli.view.ApplyView;
import dev.reconcile.cli.view.Terminal;
import dev.reconcile.deploy.Deployment;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.execute.ApplySettings;
import dev.reconcile.execute.Cancellation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A deployment run from the command line: signals cancel it, its result becomes an exit code. */
final class Rollout {
  private final ReconcileCommand root;
  private final ApplyView view;
  private final ApplySettings settings;
  private final boolean force;
  private final boolean skipBackup;

  /** @param force go on despite pre-flight problems (said loudly) */
  Rollout(ReconcileCommand root, ApplyView view, ApplySettings settings, boolean force) {
    this(root, view, settings, force, false);
  }

  /** @param skipBackup deploy even where the backup before it failed (said loudly, recorded) */
  Rollout(
      ReconcileCommand root,
      ApplyView view,
      ApplySettings settings,
      boolean force,
      boolean skipBackup) {
    this.root = root;
    this.view = view;
    this.settings = settings;
    this.force = force;
    this.skipBackup = skipBackup;
  }

  int run(Reconciliation.Outcome.Planned planned, String command) throws InterruptedException {
    var cancellation = new Cancellation();
    var trail = trail(planned, root.caller());
    try (var signals = root.caller().interrupts().cancelOn(cancellation, view::signalled)) {
      var result = new Deployment(
              root.reconciliation(),
              view,
              settings,
              force,
              skipBackup,
              root.env(),
              Clock.systemUTC(),
              new BeforeDeploy(root.reconciliation(), Clock.systemUTC()),
              trail)
          .run(planned, command, cancellation);
      return switch (result) {
        case APPLIED -> ExitCodes.OK;
        case FAILED -> ExitCodes.ERROR;
        case LOCKED -> ExitCodes.LOCKED;
      };
    } finally {
      trail.flush(WEBHOOK_WAIT);
    }
  }

  /** How long a run waits, at its end, for the webhook to take its messages. */
  static final Duration WEBHOOK_WAIT = Duration.ofSeconds(10);

  /** The audit log and webhook of a planned run. */
  static Trail trail(Reconciliation.Outcome.Planned planned, Caller caller) {
    return Trail.of(
        planned.spec(),
        planned.layout().home(),
        caller.env(),
        Clock.systemUTC(),
        caller.warnings());
  }

  /** The environments of the plan where an earlier apply died before recording what it did. */
  static List<String> unfinished(Reconciliation.Outcome.Planned planned) {
    return Deployment.unfinished(planned);
  }

  /**
   * Asks on a terminal; elsewhere says how to proceed and declines.
   *
   * @param command how to run the same command without asking, e.g. {@code rollback ... --yes}
   */
  static boolean confirmed(Terminal terminal, ApplyView view, String command) {
    if (!Confirmation.possible(terminal)) {
      view.needsConfirmation(command);
      return false;
    }
    if (!Confirmation.ask("Apply these changes?")) {
      view.declined();
      return false;
    }
    return true;
  }
}
