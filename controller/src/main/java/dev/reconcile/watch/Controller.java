package dev.reconcile.watch;

import dev.reconcile.audit.Event;
import dev.reconcile.audit.Events;
import dev.reconcile.backup.BackupRun;
import dev.reconcile.deploy.DeploymentListener;
import dev.reconcile.drift.DriftClass;
import dev.reconcile.drift.DriftDetector;
import dev.reconcile.drift.DriftLedger;
import dev.reconcile.drift.DriftReport;
import dev.reconcile.drift.EnvironmentStatus;
import dev.reconcile.drift.Healer;
import dev.reconcile.engine.FrontDoors;
import dev.reconcile.engine.Layout;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.engine.SelectionRequest;
import dev.reconcile.execute.ApplySettings;
import dev.reconcile.execute.Cancellation;
import dev.reconcile.execute.CrashPoints;
import dev.reconcile.history.Snapshot;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.traffic.AccessLogs;
import dev.reconcile.util.AtomicFiles;
import dev.reconcile.util.Checks;
import dev.reconcile.validate.SpecValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The long-running controller behind {@code reconcile watch}. Keys are {@code project/env}
 * (compare, then report or heal) and {@code backup project/env} (a scheduled backup is due).
 * Triggers only enqueue keys; one worker takes them one at a time, so two keys never deploy at
 * once and a key is never worked twice at once. A failing key backs off on its own.
 */
public final class Controller implements AutoCloseable {
  /** What the controller does with drift it finds. */
  public enum Mode {
    REPORT,
    HEAL
  }

  /** The key of a pass over every environment. */
  static final String FLEET = "*";

  /** How long a key whose lock is held waits before it is tried again. */
  static final Duration LOCKED_RETRY = Duration.ofSeconds(5);

  private final Reconciliation reconciliation;
  private final Path specFile;
  private final String shownAs;
  private final Mode mode;
  private final Duration resync;
  private final Events events;
  private final WatchMetrics metrics;
  private final Clock clock;
  private final Map<String, String> processEnv;
  private final ApplySettings settings;
  private final DeploymentListener listener;
  private final Consumer<String> log;
  private final WorkQueue queue;
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
  private final Cancellation cancellation = new Cancellation();
  private final Map<String, KeyStatus> status = new ConcurrentHashMap<>();
  private final List<AutoCloseable> triggers = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile SiteFiles siteFiles = SiteFiles.NONE;
  private volatile List<String> keys = List.of();
  /** Why the controller itself stopped working, when it did: the process must exit non-zero. */
  private volatile Optional<String> fatal = Optional.empty();

  private volatile Runnable onFatal = () -> {};
  private volatile Consumer<PlatformSpec> onSpec = spec -> {};
  /** The hosts whose engine events are heard; a host added to projects.yml is subscribed on reload. */
  private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
  /** The key the worker is on, and since when (System.nanoTime); null while it waits for one. */
  private volatile @Nullable String workingOn;

  private volatile long workingSince;
  /** A worker on one key longer than this counts as stuck: /healthz fails. */
  private volatile Duration stuckAfter = Duration.ofMinutes(30);
  /** Why the last fleet pass was split into one pass per environment; empty after one that was not. */
  private String lastSplit = "";

  public Controller(
      Reconciliation reconciliation,
      Path specFile,
      String shownAs,
      Mode mode,
      Duration resync,
      Events events,
      WatchMetrics metrics,
      Clock clock,
      Map<String, String> processEnv,
      ApplySettings settings,
      DeploymentListener listener,
      Consumer<String> log) {
    this.reconciliation = reconciliation;
    this.specFile = specFile;
    this.shownAs = shownAs;
    this.mode = mode;
    this.resync = resync;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.processEnv = Map.copyOf(processEnv);
    this.settings = settings;
    this.listener = listener;
    this.log = log;
    this.queue = new WorkQueue(clock);
  }

  /** Reads projects.yml, starts the triggers and the worker; every key is compared at once. */
  public void start() throws IOException {
    var spec = reload();
    Layout layout;
    try {
      layout = reconciliation.layout(
          specFile,
          spec.orElseThrow(() ->
              new IOException(shownAs + " is not valid; fix it first ('reconcile validate')")));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    watchFiles(layout);
    subscribeToEngines(spec.get(), layout);
    threads.add(Thread.ofPlatform().name("reconcile-worker").start(this::work));
    threads.add(Thread.ofPlatform().daemon().name("reconcile-resync").start(this::tick));
    enqueueAll("resync");
  }

  /** What /status shows. */
  public List<KeyStatus> status() {
    return status.values().stream().sorted(Comparator.comparing(KeyStatus::key)).toList();
  }

  /** Whether the worker and the triggers' threads still run. */
  public boolean alive() {
    return threads.stream().allMatch(Thread::isAlive);
  }

  /**
   * What is wrong with the controller itself, for /healthz: it failed, a thread of it ended, or its
   * worker has been on one key for longer than it should (a hung engine, a call without end).
   * Empty when healthy.
   */
  public Optional<String> unhealthy() {
    if (fatal.isPresent()) {
      return Optional.of("the controller failed: " + fatal.get());
    }
    if (!alive()) {
      return Optional.of("the worker stopped");
    }
    var key = workingOn;
    if (key != null) {
      var busy = Duration.ofNanos(System.nanoTime() - workingSince);
      if (busy.compareTo(stuckAfter) > 0) {
        return Optional.of(
            "the worker has been on " + (key.equals(FLEET) ? "every environment" : key) + " for "
                + busy.toSeconds() + " s (more than " + stuckAfter.toSeconds() + " s)");
      }
    }
    return Optional.empty();
  }

  /** Why the controller itself failed, when it did. */
  public Optional<String> failure() {
    return fatal;
  }

  /** Told once when the controller itself fails (the caller ends the process, non-zero). */
  public Controller onFatal(Runnable then) {
    this.onFatal = then;
    return this;
  }

  /** Told each time projects.yml is read again without errors (the webhook may have changed). */
  public Controller onSpec(Consumer<PlatformSpec> then) {
    this.onSpec = then;
    return this;
  }

  /** How long the worker may spend on one key before /healthz says it is stuck. */
  public Controller stuckAfter(Duration limit) {
    this.stuckAfter = limit;
    return this;
  }

  public WorkQueue queue() {
    return queue;
  }

  /**
   * Stops: no new key is taken; the key being worked on finishes its current step or is
   * abandoned safely (a deployment rolls back what it started and releases its locks).
   */
  @Override
  public void close() {
    cancellation.cancel("the controller is stopping");
    queue.shutDown();
    for (var trigger : triggers) {
      try {
        trigger.close();
      } catch (Exception e) {
        // Stopping anyway.
      }
    }
    for (var thread : threads) {
      thread.interrupt();
    }
    for (var thread : threads) {
      try {
        thread.join(Duration.ofSeconds(60));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Reads projects.yml again: its keys replace the old ones; with errors, the old ones stay. */
  private Optional<PlatformSpec> reload() {
    var validated = SpecValidator.standard().validate(specFile, shownAs);
    if (validated.spec().isEmpty() || validated.diagnostics().hasErrors()) {
      log.accept(
          shownAs + " has errors; keeping the keys it had ('reconcile validate' shows them)");
      return Optional.empty();
    }
    var spec = validated.spec().get();
    keys = spec.projects().values().stream()
        .flatMap(p -> p.environmentNames().stream().map(e -> p.name() + "/" + e))
        .sorted()
        .toList();
    return Optional.of(spec);
  }

  /**
   * Every key at once, as one pass: the fleet is planned and observed once and every environment
   * compared from that, instead of once per key (a resync, a changed projects.yml).
   */
  private void enqueueAll(String source) {
    queue.add(FLEET);
    metrics.triggered(source);
    metrics.queue(queue.depth());
  }

  /** The resync: every key again after {@code resync}, and scheduled backups every minute. */
  private void tick() {
    var sinceResync = Duration.ZERO;
    var step = resync.compareTo(Duration.ofMinutes(1)) < 0 ? resync : Duration.ofMinutes(1);
    try {
      while (cancellation.pause(step)) {
        sinceResync = sinceResync.plus(step);
        if (sinceResync.compareTo(resync) >= 0) {
          sinceResync = Duration.ZERO;
          enqueueAll("resync");
        }
        for (var key : keys) {
          queue.add("backup " + key);
        }
      }
    } catch (InterruptedException e) {
      // Stopping.
    }
  }

  private void work() {
    try {
      while (true) {
        var next = queue.take();
        if (next.isEmpty()) {
          return;
        }
        var key = next.get();
        workingSince = System.nanoTime();
        workingOn = key;
        try {
          run(key);
        } finally {
          siteFiles.settle();
          workingOn = null;
          queue.done(key);
          metrics.queue(queue.depth());
        }
        CrashPoints.failIf("controller-worker");
      }
    } catch (InterruptedException e) {
      // Stopping.
    } catch (RuntimeException | Error e) {
      // Not one key's failure (those are booked against the key): the controller's own. A
      // controller that cannot work must not look alive; systemd restarts a process that exits.
      fatal = Optional.of(
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      log.accept("the controller failed: " + fatal.get() + "; stopping");
      onFatal.run();
    }
  }

  private void run(String key) throws InterruptedException {
    var started = System.nanoTime();
    Map<String, String> results;
    try {
      if (key.startsWith("backup ")) {
        results = Map.of(key, backup(key.substring("backup ".length())));
      } else if (key.equals(FLEET)) {
        results = pass(plan(List.of(), List.of()), true);
      } else {
        var parts = key.split("/");
        results = Map.of(
            key,
            pass(plan(List.of(parts[0]), List.of(parts[1])), false).getOrDefault(key, "in_sync"));
      }
    } catch (Failed e) {
      results = Map.of(key, "failed:" + e.getMessage());
    } catch (RuntimeException e) {
      // An unreadable env_file, a lock file of another user, a bug: this key's failure, booked
      // and backed off like any other; the worker goes on with the next.
      results = Map.of(
          key,
          "failed:" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      if (System.getenv("RECONCILE_DEBUG") != null) {
        e.printStackTrace();
      }
    }
    var took = Duration.ofNanos(System.nanoTime() - started);
    var fleet = key.equals(FLEET);
    if (fleet && results.getOrDefault(FLEET, "").startsWith("failed:")) {
      // One environment's fault (an unreadable env_file) must not blind the others: each is tried
      // alone, and only the faulty one fails and backs off.
      // Said once per reason: a fault that lasts would otherwise be said at every resync.
      var why =
          Checks.present(results.get(FLEET), "the fleet's result").substring("failed:".length());
      if (!why.equals(lastSplit)) {
        log.accept("every environment at once: " + why + "; trying each environment alone");
        lastSplit = why;
      }
      metrics.ran(FLEET, "split", took);
      keys.forEach(queue::add);
      return;
    }
    if (fleet) {
      lastSplit = "";
    }
    results.forEach((k, result) -> settle(k, result, took, fleet));
  }

  /** Books one key's result: a success forgets its backoff, a failure grows it. */
  private void settle(String key, String result, Duration took, boolean inFleetPass) {
    if (result.startsWith("failed:")) {
      if (inFleetPass && !key.equals(FLEET) && backoff.failures(key) > 0) {
        return; // its own retry is already scheduled
      }
      var why = result.substring("failed:".length());
      var wait = backoff.failed(key);
      metrics.failed(key, wait);
      metrics.ran(key, "failed", took);
      log.accept((key.equals(FLEET) ? "every environment" : key) + ": " + why + "; trying again in "
          + wait.toSeconds() + " s");
      var was = status.get(key);
      if (!key.equals(FLEET)) {
        status.put(
            key,
            new KeyStatus(
                key,
                "failing",
                was == null ? 0 : was.drift(),
                was == null ? 0 : was.pending(),
                was == null ? Optional.empty() : was.lastSerial(),
                was == null ? Optional.empty() : was.lastApplied(),
                clock.instant().toString(),
                backoff.failures(key),
                Optional.of(why)));
      }
      events.record(new Event(
          clock.instant().toString(),
          "failure",
          key.equals(FLEET) ? "" : key,
          "failed",
          why,
          Map.of("failures", String.valueOf(backoff.failures(key)))));
      if (cancellation.reason().isEmpty()) {
        queue.backOff(key, wait);
      }
      return;
    }
    metrics.ran(key, result, took);
    if (result.equals("locked")) {
      queue.addAfter(key, LOCKED_RETRY);
      return;
    }
    backoff.forget(key);
    queue.release(key);
    if (key.startsWith("backup ")) {
      status.remove(key); // listed in /status only while failing; a success ends that
    }
    metrics.succeeded(key, clock.instant());
  }

  /**
   * Each served site's requests per minute and share of 5xx, for /metrics; and its access log kept
   * small, which a long-running controller is there to do.
   */
  private void traffic(Reconciliation.Outcome.Planned planned) {
    var sites = Capabilities.find(reconciliation.providers(), SiteControl.class);
    var doors = new FrontDoors(planned.spec().platform(), planned.layout(), reconciliation.hosts());
    planned.observed().all(ObservedSite.class).forEach(site -> {
      var project = planned.spec().projects().get(site.id().project());
      if (project == null || sites.isEmpty()) {
        return;
      }
      try {
        var door = doors.of(planned.spec().platform().hostOf(project));
        AccessLogs.keepSmall(door, sites.get(), List.of(site.id())).ifPresent(log);
        AccessLogs.recent(door, site.id(), clock.instant())
            .ifPresent(t ->
                metrics.traffic(site.id().environmentKey(), t.perMinute(), t.serverErrorShare()));
      } catch (ProviderException e) {
        log.accept(site.id().environmentKey() + ": cannot read its access log: " + e.getMessage());
      }
    });
  }

  /** A run that failed; the key backs off. */
  private static final class Failed extends Exception {
    Failed(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  private Reconciliation.Outcome.Planned plan(List<String> projects, List<String> environments)
      throws Failed {
    var outcome = reconciliation.plan(
        specFile, shownAs, new SelectionRequest(projects, environments), DiffOptions.DEFAULT);
    return switch (outcome) {
      case Reconciliation.Outcome.Planned p -> p;
      case Reconciliation.Outcome.Unobservable u ->
        throw new Failed("cannot observe: " + u.fault().getMessage(), u.fault());
      case Reconciliation.Outcome.Invalid i ->
        throw new Failed(
            shownAs + " or the selection is not valid " + "('reconcile validate' shows why)", null);
    };
  }

  /**
   * Compares every environment of a plan and, in heal mode, heals the drifted ones; returns each
   * environment's result: in_sync, pending, drift, healed, locked, or failed:WHY.
   */
  private Map<String, String> pass(Reconciliation.Outcome.Planned planned, boolean fleet)
      throws Failed, InterruptedException {
    var detector = new DriftDetector(processEnv, reconciliation.providers());
    DriftLedger.Stamped stamped;
    try {
      var report = detector.detect(planned);
      stamped = new DriftLedger(planned.layout().home()).stamp(report, clock.instant());
    } catch (IOException e) {
      throw new Failed("cannot compare with the history: " + e.getMessage(), e);
    }
    var report = stamped.report();
    stamped.announce(events, clock.instant());
    stamped.fresh().forEach(i -> log.accept(i.environment() + ": " + DriftLedger.describe(i)));
    var results = new TreeMap<String, String>();
    for (var env : report.environments()) {
      var key = env.environment();
      var drift = report.items().stream()
          .filter(i -> i.environment().equals(key) && i.driftClass() == DriftClass.DRIFT)
          .count();
      var pending = report.items().stream()
          .filter(i -> i.environment().equals(key) && i.driftClass() == DriftClass.PENDING)
          .count();
      metrics.found(key, drift, pending);
      switch (env.state()) {
        case UNREACHABLE -> results.put(key, "failed:" + env.note().orElse("unreachable"));
        case APPLYING -> {
          record(key, env.state().word(), drift, pending, Optional.of(env));
          results.put(key, "locked");
        }
        case INTERRUPTED -> {
          // The journal's to finish (apply) or undo (rollback), never the controller's to revert.
          record(key, env.state().word(), drift, pending, Optional.of(env));
          results.put(key, "interrupted");
        }
        default -> {
          record(key, env.state().word(), drift, pending, Optional.of(env));
          results.put(key, drift > 0 ? "drift" : pending > 0 ? "pending" : "in_sync");
        }
      }
    }
    traffic(planned);
    // A key that is backing off waits it out, also when a pass over every key finds it drifted.
    var healable = new DriftReport(
        report.items().stream()
            .filter(i -> !(fleet && queue.held(i.environment())))
            .toList(),
        report.environments());
    if (mode == Mode.HEAL && !healable.drifted().isEmpty()) {
      List<Healer.Healed> healed;
      try {
        healed = new Healer(reconciliation, processEnv, clock, events)
            .heal(planned, healable, false, settings, listener, cancellation);
      } catch (IOException e) {
        throw new Failed("cannot heal: " + e.getMessage(), e);
      }
      for (var h : healed) {
        var key = h.environment();
        var env = report.environments().stream()
            .filter(e -> e.environment().equals(key))
            .findFirst();
        var pending = report.items().stream()
            .filter(i -> i.environment().equals(key) && i.driftClass() == DriftClass.PENDING)
            .count();
        switch (h.result()) {
          case APPLIED -> {
            log.accept(key + ": healed, " + h.how());
            metrics.found(key, 0, pending);
            // What the history holds now, not what the heal meant to write.
            var parts = key.split("/");
            Optional<Snapshot> latest;
            try {
              latest = planned
                  .layout()
                  .snapshots(planned.spec().platform().history())
                  .latest(parts[0], parts[1]);
            } catch (IOException e) {
              latest = Optional.empty();
            }
            var now = latest;
            record(
                key,
                pending > 0 ? "pending" : "in-sync",
                0,
                pending,
                env.map(e -> new EnvironmentStatus(
                    e.environment(),
                    e.state(),
                    now.map(Snapshot::serial).or(e::lastSerial),
                    now.map(Snapshot::time).or(e::lastApplied),
                    e.note())));
            results.put(key, "healed");
          }
          case LOCKED -> results.put(key, "locked");
          case FAILED -> results.put(key, "failed:the heal failed (see the audit log)");
        }
      }
    }
    return results;
  }

  private void record(
      String key, String state, long drift, long pending, Optional<EnvironmentStatus> env) {
    status.put(
        key,
        new KeyStatus(
            key,
            state,
            drift,
            pending,
            env.flatMap(EnvironmentStatus::lastSerial),
            env.flatMap(EnvironmentStatus::lastApplied),
            clock.instant().toString(),
            0,
            Optional.empty()));
  }

  private String backup(String key) throws Failed {
    var parts = key.split("/");
    var planned = plan(List.of(parts[0]), List.of(parts[1]));
    var project = planned.spec().projects().get(parts[0]);
    if (project == null || project.backup().flatMap(b -> b.schedule()).isEmpty()) {
      return "none";
    }
    var runner = new BackupRun(planned, reconciliation, events, clock);
    if (!runner.isDue(project, parts[1])) {
      return "not_due";
    }
    return switch (runner.take(project, parts[1], "scheduled")) {
      case BackupRun.Outcome.Taken t -> {
        log.accept(key + ": scheduled backup " + t.manifest().id() + " taken"
            + t.problem().map(p -> "; " + p).orElse(""));
        yield "backed_up";
      }
      case BackupRun.Outcome.Locked l -> "locked";
      case BackupRun.Outcome.Failed f ->
        throw new Failed("the scheduled backup failed: " + f.why(), null);
    };
  }

  /** projects.yml and the local sites folder: a change enqueues the keys it concerns. */
  private void watchFiles(Layout layout) throws IOException {
    WatchService watcher = FileSystems.getDefault().newWatchService();
    triggers.add(watcher);
    var specDir = AtomicFiles.parentOf(specFile.toAbsolutePath());
    specDir.register(
        watcher,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    var sites = layout.sitesDir().toAbsolutePath();
    Files.createDirectories(sites);
    siteFiles = new SiteFiles(sites);
    siteFiles.settle();
    sites.register(
        watcher,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    var specName = specFile.getFileName().toString();
    threads.add(Thread.ofPlatform().daemon().name("reconcile-files").start(() -> {
      try {
        while (true) {
          var watchKey = watcher.take();
          var dir = (Path) watchKey.watchable();
          for (var event : watchKey.pollEvents()) {
            if (!(event.context() instanceof Path name)) {
              enqueueAll("resync"); // overflow: something was missed
              continue;
            }
            if (dir.equals(specDir) && name.toString().equals(specName)) {
              reload().ifPresent(spec -> {
                subscribeToEngines(spec, layout);
                onSpec.accept(spec);
              });
              enqueueAll("spec");
            } else if (dir.equals(sites) && name.toString().endsWith(".conf")) {
              var file = name.toString();
              var dot = file.indexOf('.');
              var key = dot < 0
                  ? ""
                  : file.substring(0, dot) + "/" + file.substring(dot + 1, file.length() - 5);
              // The echo of the tool's own write, delivered after its work ended, leaves the file
              // as
              // it was then: no reason to look again. (During the work, one more pass follows.)
              if (keys.contains(key) && siteFiles.changed(file)) {
                queue.add(key);
                metrics.triggered("site");
              }
            }
          }
          watchKey.reset();
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        // Stopping.
      }
    }));
  }

  /** Docker events of managed containers on every host: die, destroy, health. */
  private void subscribeToEngines(PlatformSpec spec, Layout layout) {
    var runtime = Capabilities.find(reconciliation.providers(), ContainerRuntime.class);
    if (runtime.isEmpty()) {
      return;
    }
    for (var host : spec.platform().hosts().values()) {
      if (!subscribed.add(host.name())) {
        continue;
      }
      try {
        triggers.add(runtime
            .get()
            .events(
                host,
                layout.owner(),
                event -> {
                  var key = event.id().environmentKey();
                  var action = event.action();
                  // Heard during the key's own work, an event makes one more pass after it (the
                  // queue's
                  // "again"): it may be the tool's own start or stop, or a change by someone else
                  // meanwhile.
                  if (keys.contains(key)
                      && (action.equals("die")
                          || action.equals("destroy")
                          || action.equals("stop")
                          || action.equals("start")
                          || action.startsWith("health_status"))) {
                    queue.add(key);
                    metrics.triggered("docker");
                  }
                },
                () -> {
                  // The stream ended (the engine restarted) and is back: what happened meanwhile
                  // was not heard.
                  log.accept("the engine's events on host " + host.name()
                      + " are heard again; comparing everything");
                  enqueueAll("resync");
                }));
      } catch (ProviderException e) {
        subscribed.remove(host.name()); // tried again at the next reload
        log.accept("cannot hear the engine's events on host " + host.name() + " (" + e.getMessage()
            + "); its containers are compared at each resync");
      }
    }
  }
}
