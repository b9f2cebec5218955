package dev.reconcile.execute;

import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.resource.ResourceId;
import java.time.Duration;
import java.util.List;

/**
 * Old slots keep serving open requests for a while after the switch; a cancellation here still
 * rolls back. So do running leftovers this apply removes: an apply killed right after its reload
 * leaves the slot it switched from, and nginx's old workers may still be sending it requests.
 */
final class Drain {
  /** nginx's worker_shutdown_timeout of the managed nginx: long-lived connections last at most this past a switch. */
  static final Duration LONG_LIVED = Duration.ofSeconds(30);

  private final RolloutContext ctx;
  private final RolloutJournal journal;
  private final FrontDoorAccess frontDoor;
  private final EnvironmentChanges plan;

  Drain(
      RolloutContext ctx,
      RolloutJournal journal,
      FrontDoorAccess frontDoor,
      EnvironmentChanges plan) {
    this.ctx = ctx;
    this.journal = journal;
    this.frontDoor = frontDoor;
    this.plan = plan;
  }

  void run(ResourceId site) throws StepFailed, InterruptedException {
    var draining = journal.draining();
    var leftovers = leftoversRemoved();
    if (!draining.isEmpty()) {
      ctx.listener()
          .step(
              draining.getFirst().id(),
              "draining old slots for " + ctx.settings().drain().toSeconds() + " s");
      ctx.cancellation().sleep(site, ctx.settings().drain());
      awaitOldWorkers(site, draining.getFirst().id());
    } else if (journal.switchedAt() != 0L && !journal.adoptedToStop().isEmpty()) {
      // The containers taken over served until the switch: their requests in flight finish.
      var shownOn = ResourceId.adoption(site.project(), site.environment());
      ctx.listener()
          .step(
              shownOn,
              "draining " + String.join(", ", journal.adoptedToStop()) + " for "
                  + ctx.settings().drain().toSeconds() + " s");
      ctx.cancellation().sleep(site, ctx.settings().drain());
      awaitOldWorkers(site, shownOn);
    } else if (!leftovers.isEmpty() && !ctx.settings().drain().isZero()) {
      ctx.listener()
          .step(
              leftovers.getFirst().id(),
              "draining left-over slots for " + ctx.settings().drain().toSeconds()
                  + " s (nginx may have routed to them until an interrupted apply's reload)");
      ctx.cancellation().sleep(site, ctx.settings().drain());
    }
    CrashPoints.reached("drain");
  }

  /**
   * The old slots stay while nginx still has connections to them: requests in flight and
   * long-lived ones (WebSockets, streams), on its workers from before a reload or, after a switch
   * without one, on the same workers (idle kept-alive ones close within a second). They are
   * kept until those close or {@link #LONG_LIVED} after the switch, whichever comes first.
   */
  private void awaitOldWorkers(ResourceId site, ResourceId shownOn)
      throws StepFailed, InterruptedException {
    var ports = journal.retired().stream()
        .filter(o -> o.hostPort().isPresent())
        .map(o -> o.hostPort().getAsInt())
        .toList();
    if (journal.switchedAt() == 0L
        || (ports.isEmpty() && journal.adoptedToStop().isEmpty())) {
      return;
    }
    var door = frontDoor.door();
    var until = journal.switchedAt() + LONG_LIVED.toNanos();
    var reported = false;
    while (System.nanoTime() < until) {
      var old = ctx.sites().oldWorkers(door);
      var open = ports.isEmpty() ? 0 : ctx.sites().connectionsTo(door, ports);
      if (old == 0 && open == 0) {
        return;
      }
      if (!reported) {
        ctx.listener()
            .step(
                shownOn,
                (old > 0
                        ? old + " nginx worker" + (old == 1 ? "" : "s") + " from before the switch"
                            + " still hold" + (old == 1 ? "s" : "")
                        : open + " connection" + (open == 1 ? "" : "s") + " from nginx still")
                    + " open to the old slots; they are kept until those close, at most "
                    + Math.max(1, (until - System.nanoTime()) / 1_000_000_000L) + " s more");
        reported = true;
      }
      ctx.cancellation().sleep(site, Duration.ofMillis(250));
    }
  }

  /** The running, published leftovers whose removal this rollout's plan holds. */
  private List<ObservedContainer> leftoversRemoved() {
    return plan.leftovers().stream()
        .filter(stray -> stray.isRunning() && stray.hostPort().isPresent())
        .toList();
  }
}
