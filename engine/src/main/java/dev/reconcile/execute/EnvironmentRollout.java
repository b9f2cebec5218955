package dev.reconcile.execute;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.history.Snapshot;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.ResourceKind;
import dev.reconcile.traffic.AccessLogs;
import java.util.List;
import java.util.Map;

/**
 * The changes of one project environment, in the order of design.md: networks and volumes, the
 * certificate, new slots beside the old (health, smoke at the slot), swarm services, the site
 * switch (nginx -t, atomic install, reload or routes pushed, smoke through nginx during the bake),
 * drain, removal of old slots, then deletions. Each kind's step is a class of its own; what they
 * did goes into one {@link RolloutJournal}, so a failure or a cancellation undoes exactly that
 * ({@link RolloutUndo}) and says exactly what it undid.
 */
final class EnvironmentRollout {
  private final RolloutContext ctx;
  private final List<Change> changes;
  /** The same changes by resource: all the steps read about the environment's resources. */
  private final EnvironmentChanges plan;

  private final Probes probes;
  private final Map<String, PortAllocator> ports;
  private final RolloutJournal journal = new RolloutJournal();
  /** Told once the rollout only waits: for the other environments' switch, the bake, the drain. */
  private final Runnable waiting;
  /** Its place among the environments of this apply that switch the same front door together. */
  private final SwitchTogether.Party together;

  EnvironmentRollout(RolloutContext ctx, List<Change> changes, Map<String, PortAllocator> ports) {
    this(ctx, changes, ports, () -> {}, SwitchTogether.alone());
  }

  EnvironmentRollout(
      RolloutContext ctx,
      List<Change> changes,
      Map<String, PortAllocator> ports,
      Runnable waiting,
      SwitchTogether.Party together) {
    this.waiting = waiting;
    this.together = together;
    this.ctx = ctx;
    this.changes = List.copyOf(changes);
    this.plan = new EnvironmentChanges(changes);
    this.probes =
        new Probes(ctx.runtime(), ctx.listener(), ctx.retry(), Waits.real(ctx.cancellation()));
    this.ports = ports;
  }

  /** The release commands run so far, in order. */
  List<Snapshot.Release> releases() {
    return journal.releases();
  }

  /** Runs the changes; on any failure undoes what it did and throws, saying what was undone. */
  void run() throws StepFailed {
    var siteId = changes.getFirst().id();
    var site = ResourceId.site(siteId.project(), siteId.environment());
    FrontDoorAccess frontDoor;
    try {
      var host = ctx.hostOf(siteId);
      var door = ctx.doorOf(host);
      var lock = ctx.lockOf(host);
      journal.previousSite(ctx.sites().installed(door, site));
      frontDoor = new FrontDoorAccess(ctx, journal, probes, door, lock, waiting, together, plan);
    } catch (ProviderException e) {
      together.leave();
      throw StepFailed.of(site, e);
    }
    var bake = new Bake(ctx, journal, probes, frontDoor, plan);
    var containers = new ContainerStep(ctx, journal, probes, ports, plan);
    var undo = new RolloutUndo(ctx, journal, probes, frontDoor, plan);
    var adoption = new AdoptionStep(ctx, journal, plan, site, frontDoor.door());
    try {
      for (var change : changed(ResourceKind.NETWORK)) {
        applyThroughProvider(change);
      }
      adoption.stopWriters();
      for (var change : created(ResourceKind.VOLUME)) {
        applyThroughProvider(change);
      }
      // Before any container starts: a refused order costs nothing to undo.
      var certificates = new CertificateStep(ctx, journal, frontDoor, plan);
      for (var change : changed(ResourceKind.CERTIFICATE)) {
        certificates.certify(change);
      }
      var desiredSite = plan.declared(site, DesiredSite.class);
      if (desiredSite.isPresent() && desiredSite.get().fingerprint().tls().isPresent()) {
        frontDoor.trustWhatServes(desiredSite.get());
      }
      // Containers joining their network in place first: the new slots may call them by name.
      for (var change : changes.stream()
          .filter(c -> c.id().kind() == ResourceKind.CONTAINER && c.action() == Action.UPDATE)
          .toList()) {
        containers.joinInPlace(change);
      }
      for (var change : StartOrder.of(created(ResourceKind.CONTAINER))) {
        containers.awaitDependencies(change);
        containers.roll(change);
      }
      var services = new ServiceStep(ctx, journal, frontDoor, bake, plan);
      for (var change : changed(ResourceKind.SERVICE)) {
        services.roll(change);
      }
      if (desiredSite.isPresent() && needsSwitch(site)) {
        adoption.takeOverSite();
        switchTraffic(desiredSite.get(), frontDoor, bake);
      } else {
        together.leave();
      }
      containers.unnameRetired();
      CrashPoints.reached("names-moved");
      new Drain(ctx, journal, frontDoor, plan).run(site);
    } catch (StepFailed e) {
      together.leave();
      throw e.withUndo(undo.run(site));
    } catch (ProviderException e) {
      together.leave();
      throw StepFailed.of(site, e).withUndo(undo.run(site));
    } catch (InterruptedException e) {
      together.leave();
      throw new StepFailed(site, "interrupted", "the apply was interrupted")
          .withUndo(undo.run(site));
    } catch (RuntimeException e) {
      together.leave();
      undo.run(site);
      throw e;
    }
    // Past the drain nothing is rolled back: the new slots serve and the old ones go.
    try {
      adoption.stopRest();
      finish(site, frontDoor);
    } catch (ProviderException e) {
      throw StepFailed.of(site, e).withUndo(Undo.COMMITTED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed(
              site, "interrupted", "interrupted while removing old slots; the new ones serve")
          .withUndo(Undo.COMMITTED);
    }
  }

  /** Networks and volumes: their providers apply them whole. */
  private void applyThroughProvider(Change change) throws ProviderException, InterruptedException {
    ctx.listener()
        .step(
            change.id(),
            ctx.retry()
                .call(() -> ctx.apply(ctx.dockerTarget(ctx.hostOf(change.id())), change))
                .describe());
  }

  /** A changed site, a new slot, or a new certificate (nginx reads it at a reload). */
  private boolean needsSwitch(ResourceId site) {
    var siteChange = changes.stream().filter(c -> c.id().equals(site)).findFirst();
    return siteChange
            .map(c -> c.action() != Action.NOOP && c.action() != Action.DELETE)
            .orElse(false)
        || journal.startedPublished()
        || journal.newCertificate().isPresent()
        || !journal.rolled().isEmpty();
  }

  /**
   * Renders the site and has it judged, installed and reloaded with whatever other sites of this
   * front door are switching now (one reload for all); waits until nginx serves it; bakes.
   */
  private void switchTraffic(DesiredSite site, FrontDoorAccess frontDoor, Bake bake)
      throws StepFailed, ProviderException, InterruptedException {
    ctx.cancellation().check(site.id());
    if (site.snippet().isPresent() && site.snippet().get().text().isEmpty()) {
      throw new StepFailed(
          site.id(),
          "nginx_snippet",
          "the nginx snippet " + site.snippet().get().path()
              + " cannot be read; nothing was switched");
    }
    var text = ctx.sites().render(frontDoor.door(), site, frontDoor.upstreams(site));
    bake.beforeSwitch(site.id());
    var switched = frontDoor.switchSite(
        site.id(), text, "the generated site was refused and not installed", true);
    journal.switchedAt(System.nanoTime());
    // A reload by another environment serves this site's file too.
    var revision = ctx.sites().revision(text);
    if (revision.isPresent()) {
      probes.awaitServed(
          site.id(),
          site.fingerprint().domains().getFirst(),
          revision.get(),
          journal.newCertificate(),
          frontDoor.address(site.fingerprint().tls().isPresent()),
          FrontDoorAccess.RELOAD_LIMIT,
          frontDoor.trust(),
          Probes.settle(switched));
    }
    CrashPoints.reached("revision-served");
    var sites = switched.sites();
    ctx.listener()
        .step(
            site.id(),
            (switched.reloaded()
                    ? "installed and reloaded"
                        + (sites > 1 ? " (one reload for " + sites + " sites)" : "")
                    : "installed; routes switched without a reload"
                        + (sites > 1 ? " (" + sites + " sites at once)" : ""))
                + ": "
                + servedNow()
                + (site.fingerprint().tls().isPresent() ? " (checked over HTTPS)" : ""));
    bake.after(site);
    CrashPoints.reached("bake");
  }

  /** What the switch changed, as nginx now serves it: new slots, or only the site's file. */
  private String servedNow() {
    if (!journal.started().isEmpty() || !journal.rolled().isEmpty()) {
      return "traffic goes to the new slots";
    }
    return journal.newCertificate().isPresent()
        ? "nginx serves the new certificate"
        : "nginx serves the changed site";
  }

  private void finish(ResourceId site, FrontDoorAccess frontDoor)
      throws ProviderException, InterruptedException {
    if (plan.declared(site, DesiredSite.class).isPresent()) {
      AccessLogs.keepSmall(frontDoor.door(), ctx.sites(), List.of(site))
          .ifPresent(problem -> ctx.listener().step(site, problem));
    }
    for (var old : journal.retired()) {
      ctx.listener().step(old.id(), ctx.retry().call(() -> Removals.removeObserved(ctx, old)));
      CrashPoints.reached("old-slot-removed");
    }
    Removals.run(ctx, changes, frontDoor.door(), frontDoor.lock());
  }

  /** Changes that make a resource of a kind anew. */
  private List<Change> created(ResourceKind kind) {
    return changes.stream()
        .filter(c -> c.id().kind() == kind)
        .filter(c -> c.action() == Action.CREATE || c.action() == Action.REPLACE)
        .toList();
  }

  /** Changes that create or update a resource of a kind in place. */
  private List<Change> changed(ResourceKind kind) {
    return changes.stream()
        .filter(c -> c.id().kind() == kind)
        .filter(c -> c.action() == Action.CREATE || c.action() == Action.UPDATE)
        .toList();
  }
}
