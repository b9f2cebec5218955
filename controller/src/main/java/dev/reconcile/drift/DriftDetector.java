package dev.reconcile.drift;

import dev.reconcile.backup.Restores;
import dev.reconcile.desired.DesiredResource;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.SecretDigest;
import dev.reconcile.desired.Variables;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.history.Snapshot;
import dev.reconcile.history.SnapshotStore;
import dev.reconcile.host.StateHome;
import dev.reconcile.lock.EnvironmentLock;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Differ;
import dev.reconcile.plan.Reason;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceKind;
import dev.reconcile.rollback.Hold;
import dev.reconcile.rollback.SnapshotState;
import dev.reconcile.store.ApplyJournal;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Sorts every difference of a planned run into drift and pending, per environment. Drift is what
 * runs against the desired state rebuilt from the environment's latest snapshot (the same diff a
 * rollback to it would make); pending is what the spec declares against that same state. So an
 * environment just applied has neither, a held one has no pending, and one being applied (its
 * lock is held) is not compared at all.
 */
public final class DriftDetector {
  /** Kinds found by reading a container's real configuration; a heal replaces the container. */
  public static final Set<String> REPLACING_KINDS =
      Set.of("env-changed", "command-changed", "restarted");

  private final Map<String, String> processEnv;
  private final Optional<ContainerRuntime> runtime;

  /**
   * @param runtime reads each running container's real env, command and start time; without it
   *     only what labels and files show is compared
   */
  public DriftDetector(Map<String, String> processEnv, Optional<ContainerRuntime> runtime) {
    this.processEnv = Map.copyOf(processEnv);
    this.runtime = runtime;
  }

  public DriftDetector(Map<String, String> processEnv, List<Provider> providers) {
    this(processEnv, Capabilities.find(providers, ContainerRuntime.class));
  }

  public DriftReport detect(Reconciliation.Outcome.Planned planned) throws IOException {
    var spec = planned.spec();
    var layout = planned.layout();
    var store = layout.snapshots(spec.platform().history());
    var variables = Variables.fromFiles(layout.specDir(), processEnv).withSecrets(layout.secrets());
    var items = new ArrayList<DriftItem>();
    var statuses = new ArrayList<EnvironmentStatus>();
    try (var pool =
        Executors.newFixedThreadPool(INSPECTS_AT_ONCE, Thread.ofVirtual().factory())) {
      var configs = inspectAll(planned, pool);
      for (var key : environments(planned)) {
        detect(planned, key, store, variables, configs, items, statuses);
      }
    }
    undeclared(planned, store, items, statuses);
    return new DriftReport(items, statuses);
  }

  /** At most this many containers are inspected at once, per run: a small server's engine. */
  private static final int INSPECTS_AT_ONCE = 8;

  /**
   * Each running container's real configuration, asked of the engines at once rather than one
   * by one (about 3 ms each, for every running container of every environment).
   */
  private Map<String, Future<Optional<ContainerRuntime.RunningConfig>>> inspectAll(
      Reconciliation.Outcome.Planned planned, ExecutorService pool) {
    var out = new HashMap<String, Future<Optional<ContainerRuntime.RunningConfig>>>();
    if (runtime.isEmpty()) {
      return out;
    }
    planned
        .observed()
        .all(ObservedContainer.class)
        .filter(ObservedContainer::isRunning)
        .filter(c -> c.recorded().isPresent())
        .forEach(c -> {
          var project = planned.spec().projects().get(c.id().project());
          if (project != null && !planned.unreachable().containsKey(project.host())) {
            var host = planned.spec().platform().hostOf(project);
            out.put(
                c.containerId(), pool.submit(() -> runtime.get().inspect(host, c.containerId())));
          }
        });
    return out;
  }

  private void detect(
      Reconciliation.Outcome.Planned planned,
      String key,
      SnapshotStore store,
      Variables variables,
      Map<String, Future<Optional<ContainerRuntime.RunningConfig>>> configs,
      List<DriftItem> items,
      List<EnvironmentStatus> statuses)
      throws IOException {
    var spec = planned.spec();
    var layout = planned.layout();
    var parts = key.split("/");
    var project = spec.projects().get(parts[0]);
    var latest = store.latest(parts[0], parts[1]);
    // Compared against the latest snapshot (a failed one records what runs after its undo); shown
    // as the last apply only one that succeeded: a failed heal's time is not "last applied".
    var lastGood = latest.filter(s -> s.result().equals("applied")).isPresent()
        ? latest
        : store.list(parts[0], parts[1]).reversed().stream()
            .filter(s -> s.result().equals("applied"))
            .findFirst();
    var serial = lastGood.map(Snapshot::serial);
    var time = lastGood.map(Snapshot::time);
    if (project != null && planned.unreachable().containsKey(project.host())) {
      statuses.add(new EnvironmentStatus(
          key,
          EnvironmentStatus.State.UNREACHABLE,
          serial,
          time,
          Optional.of(
              "server " + project.host() + ": " + planned.unreachable().get(project.host()))));
      return;
    }
    if (EnvironmentLock.isHeld(layout.home(), key)) {
      statuses.add(new EnvironmentStatus(
          key,
          EnvironmentStatus.State.APPLYING,
          serial,
          time,
          Optional.of("an apply holds its lock; compared once it ends")));
      return;
    }
    // A heal that ended half-way (its controller killed, the engine gone under it) aimed at the
    // last snapshot: healing again finishes it (the next deployment records what ran first). An
    // operator's apply or rollback aimed elsewhere: never healed back.
    var unfinished = new ApplyJournal(layout.home()).unfinished(key);
    var interrupted = unfinished.filter(entry -> !entry.command().equals("heal"));
    if (interrupted.isPresent()) {
      // What runs differs from the last snapshot because an apply stopped half-way, not because
      // someone changed it: the journal's to finish or undo, never to heal back (nor "restarted").
      var what = interrupted.get().describe() + " ended before it finished";
      items.add(item(
          DriftClass.PENDING,
          "apply-interrupted",
          key,
          key,
          what,
          "reconcile apply " + selectionFlags(key) + " finishes it; reconcile rollback "
              + selectionFlags(key) + " undoes it"));
      statuses.add(new EnvironmentStatus(
          key, EnvironmentStatus.State.INTERRUPTED, serial, time, Optional.of(what)));
      return;
    }
    var hold = Hold.read(layout.home(), parts[0], parts[1]);
    var found = new ArrayList<DriftItem>();
    var applied = latest.flatMap(s -> rebuilt(s, planned, variables));
    if (applied.isPresent()) {
      var againstSnapshot = Differ.diff(applied.get(), planned.observed(), DiffOptions.DEFAULT);
      againstSnapshot.changes().stream()
          .filter(c -> c.action().isChange())
          .filter(c -> c.id().environmentKey().equals(key))
          .filter(c -> !onlyFollows(c))
          .map(c -> drift(c, key))
          .forEach(found::add);
      againstSnapshot.problems().stream()
          .filter(p -> p.id().environmentKey().equals(key))
          .map(p -> item(
              DriftClass.DRIFT,
              "unmanaged-conflict",
              key,
              p.id().toString(),
              p.message(),
              "stop or rename what holds it, then: " + healFix(key)))
          .forEach(found::add);
      var restarts = new RestartWindow(
          restartsCountAfter(latest.get(), layout.home(), key),
          unfinished.flatMap(entry -> instant(entry.started())),
          unfinished.flatMap(
              entry -> Optional.ofNullable(entry.ended()).flatMap(DriftDetector::instant)));
      var inspected = inspected(planned, key, found, restarts, layout.secrets(), configs);
      // What the container really runs with says more than that it is off its network (a
      // container recreated by hand is both): one item per container.
      found.removeIf(i -> i.kind().equals("network-changed")
          && inspected.stream().anyMatch(x -> x.resource().equals(i.resource())));
      found.addAll(inspected);
    }
    if (hold.isEmpty()) {
      var declared = planned.desired();
      planned.plan().changes().stream()
          .filter(c -> c.action().isChange())
          .filter(c -> c.id().environmentKey().equals(key))
          .filter(c -> applied.isEmpty() || !sameDeclared(declared, applied.get(), c))
          .map(c -> pending(c, key, latest.isEmpty()))
          .forEach(found::add);
    }
    items.addAll(found);
    var state = found.stream().anyMatch(i -> i.driftClass() == DriftClass.DRIFT)
        ? EnvironmentStatus.State.DRIFTED
        : hold.isPresent()
            ? EnvironmentStatus.State.HELD
            : found.isEmpty() ? EnvironmentStatus.State.IN_SYNC : EnvironmentStatus.State.PENDING;
    statuses.add(new EnvironmentStatus(
        key,
        state,
        serial,
        time,
        hold.map(
            h -> "held at snapshot #" + h.serial() + " by " + h.by() + " since " + h.since())));
  }

  /** The state the snapshot recorded; empty when it cannot be rebuilt (all is pending then). */
  private static Optional<DesiredState> rebuilt(
      Snapshot snapshot, Reconciliation.Outcome.Planned planned, Variables variables) {
    try {
      return Optional.of(
          SnapshotState.of(snapshot, planned.spec(), variables, running(planned.observed())));
    } catch (SnapshotState.Refused e) {
      return Optional.empty();
    }
  }

  /**
   * Where a reference points, as far as drift is concerned: the image a container created from it
   * runs. So a container still running the snapshot's image is no drift even when its tag has
   * moved since, and one recreated from a moved tag is.
   */
  private static SnapshotState.Images running(ObservedState observed) {
    return (host, reference) -> observed
        .all(ObservedContainer.class)
        .filter(c -> c.host().equals(host) && c.image().equals(reference))
        .map(c -> c.imageId())
        .findFirst()
        .or(() -> observed.imageIdOf(host, reference));
  }

  /**
   * Environments taken out of projects.yml whose remains still run (an unscoped plan removes
   * them): all pending, for an apply to remove; nothing there is drift to put back.
   */
  private static void undeclared(
      Reconciliation.Outcome.Planned planned,
      SnapshotStore store,
      List<DriftItem> items,
      List<EnvironmentStatus> statuses)
      throws IOException {
    var removals = new java.util.TreeMap<String, List<Change>>();
    planned.plan().changes().stream()
        .filter(c -> c.action().isChange())
        .filter(c -> !planned.spec().declares(c.id().project(), c.id().environment()))
        .forEach(c -> removals
            .computeIfAbsent(c.id().environmentKey(), k -> new ArrayList<>())
            .add(c));
    for (var entry : removals.entrySet()) {
      var key = entry.getKey();
      var parts = key.split("/");
      var last = store.list(parts[0], parts[1]).reversed().stream()
          .filter(s -> s.result().equals("applied"))
          .findFirst();
      entry
          .getValue()
          .forEach(c -> items.add(item(
              DriftClass.PENDING,
              NO_LONGER_DECLARED,
              key,
              c.label(),
              "delete " + c.label() + ": no longer declared in projects.yml",
              "reconcile apply " + selectionFlags(key))));
      statuses.add(new EnvironmentStatus(
          key,
          EnvironmentStatus.State.PENDING,
          last.map(Snapshot::serial),
          last.map(Snapshot::time),
          Optional.of("no longer declared in projects.yml; apply removes what is left of it")));
    }
  }

  /** The kind of a pending removal of an environment no longer declared. */
  public static final String NO_LONGER_DECLARED = "no-longer-declared";

  /** The selected environments of projects.yml, in name order. */
  private static List<String> environments(Reconciliation.Outcome.Planned planned) {
    var selection = planned.desired().selection();
    return planned.spec().projects().values().stream()
        .flatMap(p -> p.environmentNames().stream()
            .filter(e -> selection.includes(p.name(), e))
            .map(e -> p.name() + "/" + e))
        .sorted()
        .toList();
  }

  /**
   * What the running containers of an environment really run with, against what their labels say
   * was applied: env or command changed by a container recreated by hand with the same labels, or
   * a container started again after the last apply (but not by a heal that ended half-way).
   * Containers already reported are skipped.
   */
  private List<DriftItem> inspected(
      Reconciliation.Outcome.Planned planned,
      String key,
      List<DriftItem> already,
      RestartWindow restarts,
      SecretDigest secrets,
      Map<String, Future<Optional<ContainerRuntime.RunningConfig>>> configs)
      throws IOException {
    var out = new ArrayList<DriftItem>();
    var reported = already.stream()
        .filter(i -> !i.kind().equals("network-changed"))
        .map(DriftItem::resource)
        .collect(Collectors.toSet());
    var running = planned
        .observed()
        .all(ObservedContainer.class)
        .filter(c -> c.id().environmentKey().equals(key))
        .filter(ObservedContainer::isRunning)
        .filter(c -> !reported.contains(c.id().toString()))
        .toList();
    for (var container : running) {
      // Asked by inspectAll: each running container with a record, of a declared project.
      var asked = configs.get(container.containerId());
      if (asked == null) {
        continue;
      }
      Optional<ContainerRuntime.RunningConfig> config;
      try {
        config = asked.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof ProviderException p) {
          throw new IOException("cannot inspect " + container.name() + ": " + p.getMessage(), p);
        }
        throw e.getCause() instanceof RuntimeException r
            ? r
            : new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while inspecting " + container.name(), e);
      }
      if (config.isEmpty()) {
        continue;
      }
      var recorded = container.recorded().get();
      var actual = config.get();
      var label = container.id().toString();
      var changedEnv = recorded.env().entrySet().stream()
          .filter(e -> {
            var value = actual.env().get(e.getKey());
            if (value == null) {
              return true;
            }
            var expected = recorded.secretEnv().contains(e.getKey())
                ? secrets.of(container.id().toString(), e.getKey(), value)
                : value;
            return !expected.equals(e.getValue());
          })
          .map(Map.Entry::getKey)
          .sorted()
          .toList();
      if (!changedEnv.isEmpty()) {
        out.add(item(
            DriftClass.DRIFT,
            "env-changed",
            key,
            label,
            container.name() + " runs with other values of " + String.join(", ", changedEnv)
                + " than were applied (values hidden)",
            healFix(key)));
      } else if (!recorded.command().isEmpty() && !recorded.command().equals(actual.command())) {
        out.add(item(
            DriftClass.DRIFT,
            "command-changed",
            key,
            label,
            container.name() + " runs another command than was applied",
            healFix(key)));
      } else if (restarts.counts(actual.startedAt())) {
        out.add(item(
            DriftClass.DRIFT,
            "restarted",
            key,
            label,
            container.name() + " was started again at "
                + actual.startedAt() + ", after the last apply"
                + (actual.restarts() > 0
                    ? " (the engine restarted it " + actual.restarts()
                        + " time(s) by its restart policy)"
                    : ""),
            healFix(key)));
      }
    }
    return out;
  }

  /**
   * Starts after this instant are drift: after the snapshot, and after the tool's own last
   * restart of the environment (a restore stops and starts containers).
   */
  private static Instant restartsCountAfter(Snapshot snapshot, StateHome home, String key) {
    var after = Instant.EPOCH;
    try {
      after = Instant.parse(snapshot.time());
    } catch (DateTimeParseException e) {
      // An unreadable time: every start counts as after it, which overstates, never hides.
    }
    var own = Restores.restartedByRestore(home, key);
    return own.filter(after::isBefore).orElse(after);
  }

  private static Optional<Instant> instant(String time) {
    try {
      return Optional.of(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * A site change whose only reasons are its upstreams following their containers (the
   * consequence of a container's drift, reported there, not a second finding) or the front door
   * rendering it otherwise today (the file is as applied: the tool changed, not the server).
   */
  private static boolean onlyFollows(Change change) {
    return change.id().kind() == ResourceKind.SITE
        && change.action() == Action.UPDATE
        && !change.reasons().isEmpty()
        && change.reasons().stream()
            .allMatch(r -> r.field().startsWith("upstream") || r.field().equals("rendering"));
  }

  /** Whether projects.yml declares a resource as the last apply left it (or both leave it out). */
  private static boolean sameDeclared(DesiredState declared, DesiredState applied, Change change) {
    var now = declared.get(change.id()).map(DesiredResource::specHash);
    var then = applied.get(change.id()).map(DesiredResource::specHash);
    return now.equals(then);
  }

  private static DriftItem pending(Change change, String key, boolean neverApplied) {
    var detail = change.action().word() + " " + change.label()
        + (change.reasons().isEmpty()
            ? ""
            : ": "
                + String.join("; ", change.reasons().stream().map(Reason::text).toList()));
    return item(
        DriftClass.PENDING,
        neverApplied ? "not-applied" : "declared-" + change.action().word(),
        key,
        change.label(),
        detail,
        "reconcile apply " + selectionFlags(key));
  }

  /** What a change towards the last snapshot says was done outside the tool. */
  static DriftItem drift(Change change, String key) {
    var kind = kind(change);
    var reasons = change.reasons().stream().map(Reason::text).toList();
    var detail =
        describe(kind, change) + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons));
    return item(DriftClass.DRIFT, kind, key, change.label(), detail, healFix(key));
  }

  private static String kind(Change change) {
    var fields = change.reasons().stream().map(Reason::field).toList();
    var kind = change.id().kind();
    return switch (change.action()) {
      case CREATE ->
        switch (kind) {
          case CONTAINER -> "container-missing";
          case SITE -> "site-missing";
          case VOLUME -> "volume-missing";
          case CERTIFICATE -> "certificate-missing";
          case SERVICE -> "service-missing";
          case NETWORK -> "network-missing";
          case ADOPTION -> "adopted-running";
        };
      case DELETE ->
        change.slot().isPresent()
            ? "slot-leftover"
            : "unexpected-" + kind.name().toLowerCase(Locale.ROOT);
      case UPDATE, REPLACE ->
        switch (kind) {
          case SITE -> siteKind(fields, change);
          // Not made outside the tool, but due all the same: the next heal or apply renews it.
          case CERTIFICATE ->
            fields.contains("expiry") ? "certificate-renewal-due" : "certificate-changed";
          case SERVICE -> fields.contains("replicas") ? "replicas-changed" : containerKind(fields);
          case CONTAINER, VOLUME -> containerKind(fields);
          case NETWORK -> "network-missing";
          // compose up again, or a container taken over started by hand: two of the same app.
          case ADOPTION -> "adopted-running";
        };
      case NOOP -> "none";
    };
  }

  private static String containerKind(List<String> fields) {
    if (fields.contains("state")) {
      return "container-stopped";
    }
    if (fields.contains("image")) {
      return "image-changed";
    }
    if (fields.stream().anyMatch(f -> f.startsWith("env"))) {
      return "env-changed";
    }
    if (fields.contains("port")) {
      return "port-changed";
    }
    if (fields.contains("command")) {
      return "command-changed";
    }
    // Last: a container recreated by hand with another image is off its network too.
    if (fields.contains("network")) {
      return "network-changed";
    }
    return "container-changed";
  }

  private static String siteKind(List<String> fields, Change change) {
    if (fields.contains("served")) {
      return change.reasons().stream()
              .anyMatch(r -> r.field().equals("served") && r.text().contains("offline"))
          ? "nginx-down"
          : "nginx-serves-other";
    }
    if (fields.contains("content")) {
      return "site-edited";
    }
    return "site-changed";
  }

  private static String describe(String kind, Change change) {
    return switch (kind) {
      case "container-missing" -> change.label() + " is gone";
      case "volume-missing" -> change.label() + " is gone";
      case "site-missing" -> "the site file of " + change.id().environmentKey() + " is gone";
      case "slot-leftover" -> change.label() + " is left over beside the live slot";
      case "container-stopped" -> change.label() + " does not run";
      case "image-changed" -> change.label() + " runs another image";
      case "site-edited" -> "the site file of " + change.id().environmentKey() + " was edited";
      case "nginx-down" -> "nginx does not run";
      case "nginx-serves-other" -> "nginx serves another configuration than the site file";
      case "service-missing" -> change.label() + " is gone";
      case "replicas-changed" ->
        change.label() + " runs another number of replicas than was applied";
      case "certificate-missing" ->
        "the certificate of " + change.id().environmentKey() + " is gone";
      case "certificate-renewal-due" ->
        "the certificate of " + change.id().environmentKey() + " is inside its renewal window";
      default -> change.label() + " differs from the last apply";
    };
  }

  private static DriftItem item(
      DriftClass driftClass, String kind, String key, String resource, String detail, String fix) {
    return new DriftItem(
        driftClass.word() + ":" + kind + ":" + resource,
        driftClass,
        kind,
        key,
        resource,
        detail,
        Optional.empty(),
        fix);
  }

  private static String healFix(String key) {
    return "reconcile drift --heal " + selectionFlags(key) + " --yes";
  }

  private static String selectionFlags(String key) {
    var parts = key.split("/");
    return "--project " + parts[0] + " --env " + parts[1];
  }
}
