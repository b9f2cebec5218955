package dev.reconcile.drift;

import dev.reconcile.audit.Events;
import dev.reconcile.backup.BeforeDeploy;
import dev.reconcile.deploy.Deployment;
import dev.reconcile.deploy.DeploymentListener;
import dev.reconcile.desired.Variables;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.execute.ApplySettings;
import dev.reconcile.execute.Cancellation;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Differ;
import dev.reconcile.rollback.SnapshotState;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Fixes drift through the normal deployment: each drifted environment is planned towards its
 * latest snapshot (the state the last apply left, as a rollback to it would be) and deployed
 * with its lock, backup, zero-downtime switch and a snapshot recorded as a heal. Pending changes
 * are left alone unless asked for; then the spec is applied to those environments as well.
 */
public final class Healer {
  private final Reconciliation reconciliation;
  private final Map<String, String> processEnv;
  private final Clock clock;
  private final Events events;

  /** @param events hears each heal, as a deployment's events */
  public Healer(
      Reconciliation reconciliation, Map<String, String> processEnv, Clock clock, Events events) {
    this.reconciliation = reconciliation;
    this.processEnv = Map.copyOf(processEnv);
    this.clock = clock;
    this.events = events;
  }

  /**
   * The plan with the containers whose real env or command differs from their labels, or that
   * were started again, replaced: their labels match the snapshot, so only the report knows.
   */
  static Reconciliation.Outcome.Planned replacing(
      Reconciliation.Outcome.Planned planned, DriftReport report, String key) {
    var replace = report.items().stream()
        .filter(i -> i.environment().equals(key))
        .filter(i -> DriftDetector.REPLACING_KINDS.contains(i.kind()))
        .map(DriftItem::resource)
        .collect(Collectors.toSet());
    if (replace.isEmpty()) {
      return planned;
    }
    var observed = planned.observed();
    var resources = new LinkedHashMap<>(observed.resources());
    resources.replaceAll(
        (id, r) -> r instanceof ObservedContainer c && replace.contains(id.toString())
            ? new ObservedContainer(
                c.id(),
                c.host(),
                c.containerId(),
                c.name(),
                c.slot(),
                c.image(),
                c.imageId(),
                c.state(),
                c.health(),
                c.hostPort(),
                "changed-outside-reconcile",
                Optional.empty(),
                c.networks())
            : r);
    var marked =
        new ObservedState(resources, observed.strays(), observed.conflicts(), observed.tags());
    return new Reconciliation.Outcome.Planned(
        planned.diagnostics(),
        planned.spec(),
        planned.layout(),
        planned.desired(),
        marked,
        Differ.diff(planned.desired(), marked, DiffOptions.DEFAULT),
        planned.unreachable());
  }

  /** How healing one environment went. */
  public record Healed(String environment, Deployment.Result result, String how) {}

  public List<Healed> heal(
      Reconciliation.Outcome.Planned planned,
      DriftReport report,
      boolean includePending,
      ApplySettings settings,
      DeploymentListener listener,
      Cancellation cancellation)
      throws IOException, InterruptedException {
    var out = new ArrayList<Healed>();
    var deployment = new Deployment(
        reconciliation,
        listener,
        settings,
        false,
        false,
        processEnv,
        clock,
        new BeforeDeploy(reconciliation, clock),
        events);
    if (includePending) {
      var chosen = new TreeSet<String>(report.drifted());
      chosen.addAll(report.pending());
      var others = new TreeSet<String>();
      planned.plan().changes().forEach(c -> others.add(c.id().environmentKey()));
      others.removeAll(chosen);
      if (!chosen.isEmpty()) {
        var result =
            deployment.run(planned.withPlan(planned.plan().without(others)), "heal", cancellation);
        chosen.forEach(key -> out.add(new Healed(key, result, "applied projects.yml")));
      }
      return out;
    }
    var variables = Variables.fromFiles(planned.layout().specDir(), processEnv)
        .withSecrets(planned.layout().secrets());
    var store = planned.layout().snapshots(planned.spec().platform().history());
    for (var key : report.drifted()) {
      if (cancellation.reason().isPresent()) {
        break;
      }
      var parts = key.split("/");
      var snapshot = store
          .latest(parts[0], parts[1])
          .orElseThrow(() -> new IOException("no snapshot of " + key + " to heal towards"));
      Reconciliation.Outcome towards;
      try {
        towards = reconciliation.planTowards(
            planned,
            images -> SnapshotState.of(snapshot, planned.spec(), variables, images),
            DiffOptions.DEFAULT);
      } catch (SnapshotState.Refused e) {
        throw new IOException(
            "cannot heal " + key + " towards snapshot #" + snapshot.serial() + ": "
                + e.getMessage(),
            e);
      }
      if (!(towards instanceof Reconciliation.Outcome.Planned planTo)) {
        var fault = ((Reconciliation.Outcome.Unobservable) towards).fault();
        throw new IOException(
            "cannot observe " + key + " to heal it: " + fault.getMessage(), fault);
      }
      var p = replacing(planTo, report, key);
      if (!p.plan().hasChanges()) {
        out.add(new Healed(
            key, Deployment.Result.APPLIED, "already as snapshot #" + snapshot.serial()));
        continue;
      }
      out.add(new Healed(
          key, deployment.run(p, "heal", cancellation), "back to snapshot #" + snapshot.serial()));
    }
    return out;
  }
}
