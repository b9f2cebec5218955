package dev.reconcile.cli;

import dev.reconcile.audit.Events;
import dev.reconcile.audit.Trail;
import dev.reconcile.cli.view.ApplyView;
import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.cli.view.Output;
import dev.reconcile.execute.ApplySettings;
import dev.reconcile.execute.Cancellation;
import dev.reconcile.validate.SpecValidator;
import dev.reconcile.watch.Controller;
import dev.reconcile.watch.WatchMetrics;
import dev.reconcile.watch.WatchServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The long-running controller: compares on every change, reports or heals, serves metrics. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the controller: keep comparing every project environment with its last",
      "apply and with projects.yml, and report drift or heal it, until SIGTERM.",
      "",
      "An environment is compared when projects.yml changes, when one of its",
      "containers dies, is removed, starts or changes health (Docker events), when",
      "its site file changes, at every --interval (a full resync), and its",
      "scheduled backups (backup.schedule) are taken when due. One environment at",
      "a time; one that fails is retried later and later (1 s doubling to 5 min)",
      "while the others go on. New drift goes to the audit log and the webhook",
      "once, not at every resync.",
      "",
      "--mode heal puts drift back through the normal apply (lock, backup,",
      "zero-downtime switch, a snapshot recorded as 'heal'); pending changes are",
      "never applied by the controller: that is what 'reconcile apply' is for.",
      "",
      "HTTP, on --listen: /healthz, /metrics (Prometheus text), /status (JSON).",
      "SIGTERM or SIGINT: the step under way finishes or is rolled back, locks are",
      "released, and it exits 0."
    },
    footer = {
      "",
      "Examples:",
      "  reconcile watch                                   # report only",
      "  reconcile watch --mode heal --interval 2m",
      "  curl -s 127.0.0.1:9480/status",
      "",
      "Exit codes: 0 stopped by a signal; 1 could not start (bad spec, address in use)."
    })
final class WatchCommand implements Callable<Integer> {
  enum Mode {
    report,
    heal
  }

  @ParentCommand
  ReconcileCommand root;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "report",
      description = "report (default) or heal.")
  Mode mode = Mode.report;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description =
          "Compare everything again this often, whatever happened. Default: ${DEFAULT-VALUE}.")
  Duration interval;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:9480",
      description =
          "Where /healthz, /metrics and /status are served. Default: ${DEFAULT-VALUE} (loopback).")
  String listen;

  @Option(
      names = "--bake",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "Heals: how long the new slot serves through nginx before the old one drains.")
  Duration bake;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      defaultValue = "3s",
      converter = DurationConverter.class,
      description = "Heals: how long the old slot keeps serving requests in flight.")
  Duration drain;

  @Option(
      names = "--no-handoff",
      description =
          "Do not run this user's 'reconcile plan', 'apply --yes' and 'rollback --yes' of the same "
              + "projects.yml here (by default they run in this warm process: a fraction of a "
              + "one-shot run's start-up).")
  boolean noHandoff;

  @Override
  public Integer call() throws InterruptedException {
    var global = root.global();
    var terminal = root.terminal();
    var validated = SpecValidator.standard().validate(global.specPath(), global.specShownAs());
    DiagnosticsView.of(Output.text, terminal).report(global.specShownAs(), validated.diagnostics());
    if (validated.spec().isEmpty() || validated.diagnostics().hasErrors()) {
      return ExitCodes.ERROR;
    }
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      terminal.err().println("reconcile: --interval must be at least 1s");
      return ExitCodes.ERROR;
    }
    var colon = listen.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      terminal
          .err()
          .println("reconcile: --listen " + listen + " is not HOST:PORT, e.g. 127.0.0.1:9480");
      return ExitCodes.ERROR;
    }
    var spec = validated.spec().get();
    var found = root.layout(spec);
    if (found.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var layout = found.get();
    var clock = Clock.systemUTC();
    // The webhook as projects.yml names it now: a changed platform.notify takes effect at once.
    var trails = new AtomicReference<Trail>(
        Trail.of(spec, layout.home(), System.getenv(), clock).withoutRepeats());
    Events trail = event -> Objects.requireNonNull(trails.get()).record(event);
    var metrics = new WatchMetrics();
    var reconciliation = root.reconciliation().cachingSpecs();
    var log = (Consumer<String>) line -> {
      synchronized (terminal) {
        terminal.err().println(clock.instant() + " " + line);
      }
    };
    var controller = new Controller(
        reconciliation,
        global.specPath(),
        global.specShownAs(),
        mode == Mode.heal ? Controller.Mode.HEAL : Controller.Mode.REPORT,
        interval,
        trail,
        metrics,
        clock,
        System.getenv(),
        new ApplySettings(bake, drain),
        new ApplyView(terminal),
        log);
    var stop = new Cancellation();
    controller.onFatal(() -> stop.cancel("the controller failed"));
    controller.onSpec(changed -> {
      var before = trails.getAndSet(
          Trail.of(changed, layout.home(), System.getenv(), clock).withoutRepeats());
      before.flush(Duration.ofSeconds(5));
    });
    try (var signals = Signals.cancelOn(
        stop, signal -> log.accept(signal + ": stopping after the step under way"))) {
      WatchServer server;
      try {
        server = WatchServer.start(
            new InetSocketAddress(listen.substring(0, colon), port), controller, metrics);
      } catch (IOException e) {
        terminal
            .err()
            .println("reconcile: cannot listen on " + listen + ": " + e.getMessage()
                + " (another 'reconcile watch'? pick another --listen)");
        return ExitCodes.ERROR;
      }
      var bound = new InetSocketAddress(listen.substring(0, colon), port);
      if (bound.getAddress() == null || !bound.getAddress().isLoopbackAddress()) {
        terminal
            .err()
            .println(
                "reconcile: warning: --listen " + listen + " is not loopback: /status and /metrics "
                    + "(project and environment names, errors) answer anyone who reaches it, without a password; "
                    + "keep it behind a firewall or use 127.0.0.1");
      }
      Optional<HandoffServer> handoff = Optional.empty();
      try (server) {
        controller.start();
        if (!noHandoff) {
          handoff = HandoffServer.start(global.specPath(), log);
        }
        log.accept("watching " + spec.projects().size() + " project(s), mode " + mode
            + ", resync every " + interval.toSeconds() + " s; http://" + listen.substring(0, colon)
            + ":" + server.port() + "/status"
            + (handoff.isPresent()
                ? "; runs 'plan', 'apply --yes' and 'rollback --yes' of " + global.specShownAs()
                    + " for this user (" + handoff.get().socket() + ")"
                : ""));
        stop.await();
      } catch (IOException e) {
        terminal.err().println("reconcile: cannot start: " + e.getMessage());
        return ExitCodes.ERROR;
      } finally {
        handoff.ifPresent(HandoffServer::close);
        controller.close();
        Objects.requireNonNull(trails.get()).flush(Duration.ofSeconds(5));
      }
    }
    if (controller.failure().isPresent()) {
      log.accept("stopped: the controller failed: " + controller.failure().get());
      return ExitCodes.ERROR;
    }
    log.accept("stopped");
    return ExitCodes.OK;
  }
}
