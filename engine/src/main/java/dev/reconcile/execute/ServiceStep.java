package dev.reconcile.execute;

import dev.reconcile.desired.DesiredService;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.model.HostSpec;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.SiteDiff;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.ServiceRuntime;
import dev.reconcile.resource.ResourceId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A swarm service created or updated, and the engine's own rollout of it watched to its end: as
 * its tasks become healthy or go, nginx is moved to the healthy ones (a site already serving
 * follows them, so traffic never waits on a task that is gone). A rollback by the engine fails the
 * step with the engine's reason, once nginx routes to what the engine put back. Its undo (the
 * engine puts the previous spec back) is {@link RolloutUndo}'s.
 */
final class ServiceStep {
  private final RolloutContext ctx;
  private final RolloutJournal journal;
  private final FrontDoorAccess frontDoor;
  private final Bake bake;
  private final EnvironmentChanges plan;

  ServiceStep(
      RolloutContext ctx,
      RolloutJournal journal,
      FrontDoorAccess frontDoor,
      Bake bake,
      EnvironmentChanges plan) {
    this.plan = plan;
    this.ctx = ctx;
    this.journal = journal;
    this.frontDoor = frontDoor;
    this.bake = bake;
  }

  void roll(Change change) throws StepFailed, ProviderException, InterruptedException {
    var id = change.id();
    ctx.cancellation().check(id);
    var desired = change.declared(DesiredService.class);
    var runtime = ctx.services()
        .orElseThrow(
            () -> new StepFailed(id, "swarm", "no installed provider runs swarm services"));
    var host = ctx.hostOf(id);
    bake.forgetEarlier();
    ServiceRuntime.Rolled started;
    try {
      started =
          runtime.start(host, desired, Environment.resolve(ctx, desired.container()), ctx.owner());
    } catch (ProviderException e) {
      throw StepFailed.of(id, e);
    }
    journal.rolled(started);
    ctx.listener().step(id, started.what());
    CrashPoints.reached("service-update-asked");
    var failure = watch(runtime, host, started, desired.replicas());
    if (failure.isPresent()) {
      throw new StepFailed(
          id,
          "swarm",
          failure.get() + "; see: docker service ps --no-trunc " + id.project() + "-"
              + id.name().orElseThrow() + "-" + id.environment());
    }
    ctx.listener()
        .step(
            id,
            desired.replicas() + " of " + desired.replicas() + " tasks healthy"
                + journal
                    .serviceAddresses(id)
                    .map(p -> " on " + SiteDiff.upstream(p))
                    .orElse(""));
    CrashPoints.reached("service-rolled");
  }

  /**
   * Follows a rollout until the engine ended it, moving an installed site to the healthy tasks;
   * the engine's reason when it rolled back.
   */
  private Optional<String> watch(
      ServiceRuntime runtime, HostSpec host, ServiceRuntime.Rolled started, int replicas)
      throws StepFailed, ProviderException, InterruptedException {
    var id = started.id();
    var site = plan.declared(ResourceId.site(id.project(), id.environment()), DesiredSite.class);
    var follow = site.isPresent() && journal.previousSite().isPresent();
    var routed = plan.found(id, ObservedService.class)
        .map(ObservedService::taskAddresses)
        .orElse(List.of());
    var until = System.nanoTime() + started.limit().toNanos();
    var last = "";
    while (true) {
      var now = ctx.retry().call(() -> runtime.progress(host, started, replicas));
      if (!now.addresses().isEmpty()) {
        journal.serviceAddresses(id, now.addresses());
      }
      if (follow && !now.addresses().isEmpty() && !now.addresses().equals(routed)) {
        frontDoor.moveTo(site.get());
        routed = now.addresses();
        ctx.listener()
            .step(
                site.get().id(),
                "nginx routes " + id.name().orElseThrow() + " to its healthy tasks: "
                    + SiteDiff.upstream(routed));
      }
      if (now.ended()) {
        return now.failure();
      }
      if (follow && now.replaced()) {
        bake.whileWatched(site.get(), started);
      }
      if (!now.words().equals(last)) {
        ctx.listener().progress(id, now.words());
        last = now.words();
      }
      if (System.nanoTime() > until) {
        throw new StepFailed(
            id,
            "swarm",
            "the engine did not finish within " + started.limit().toSeconds() + " s (" + now.words()
                + ")" + now.failure().map(f -> ": " + f).orElse(""));
      }
      ctx.cancellation().sleep(id, Duration.ofMillis(200));
    }
  }
}
