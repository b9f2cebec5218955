package dev.reconcile.execute;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredResource;
import dev.reconcile.desired.DesiredService;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.ServiceRuntime;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.traffic.AccessLogs;
import dev.reconcile.traffic.Request;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The bake after a switch: smoke checks through nginx, with the domain's Host header, and the
 * access log's 5xx answers of the new slots, until the bake time is over. A rolled service may
 * have begun it while the engine still watched its new tasks.
 */
final class Bake {
  /** The fewest 5xx answers that can fail a bake. */
  static final int MIN_5XX = 3;

  private final RolloutContext ctx;
  private final RolloutJournal journal;
  private final Probes probes;
  private final FrontDoorAccess frontDoor;
  private final EnvironmentChanges plan;
  /**
   * When nginx began sending all of the last rolled service's traffic to its new tasks while the
   * engine still watched them (System.nanoTime; 0 when not): the bake began then.
   */
  private long bakingSince;
  /** The smoke rounds run since then. */
  private int bakedRounds;
  /** The size of the site's access log at the switch, when it could be read: the bake reads on from it. */
  private Optional<Long> logOffset = Optional.empty();

  Bake(
      RolloutContext ctx,
      RolloutJournal journal,
      Probes probes,
      FrontDoorAccess frontDoor,
      EnvironmentChanges plan) {
    this.plan = plan;
    this.ctx = ctx;
    this.journal = journal;
    this.probes = probes;
    this.frontDoor = frontDoor;
  }

  /** A bake begun while an earlier service was watched does not cover the next one. */
  void forgetEarlier() {
    bakingSince = 0;
    bakedRounds = 0;
  }

  /**
   * Where the access log stands before the switch: what follows is the new slots' traffic (or
   * since nginx sent a service's traffic to its new tasks, when the bake began then).
   */
  void beforeSwitch(ResourceId site) {
    if (bakingSince == 0) {
      logOffset = logSize(site);
    }
  }

  /**
   * Nginx sends the service's traffic to its new tasks only, and the engine watches them for its
   * update monitor before it calls the update done: the bake's smoke checks (and its reading of the
   * access log) run meanwhile, so the apply does not wait the bake again after the engine. A check
   * that fails fails the service's step, which the engine's own rollback would also have done.
   */
  void whileWatched(DesiredSite site, ServiceRuntime.Rolled service)
      throws StepFailed, ProviderException, InterruptedException {
    if (ctx.settings().bake().isZero()) {
      return;
    }
    if (bakingSince == 0) {
      bakingSince = System.nanoTime();
      logOffset = logSize(site.id());
      ctx.listener()
          .progress(
              site.id(),
              "nginx sends all traffic to the new tasks; baking while the engine watches them");
    }
    var desired = declared(service.id(), DesiredService.class).container();
    if (desired.spec().isRouted()) {
      probes.check(
          desired,
          desired.spec().smoke(),
          frontDoor.address(site.fingerprint().tls().isPresent()),
          site.fingerprint().domains().getFirst(),
          "through nginx",
          frontDoor.trust());
    }
    judgeTraffic(site);
    bakedRounds++;
  }

  /**
   * Smoke checks through nginx until the bake time is over. A site nginx did not serve before this
   * apply gets one round and no bake: the bake watches new slots while the previous site can
   * still be put back, and a first deploy has none to put back (as Argo Rollouts and Flagger
   * promote a first release without analysis).
   */
  void after(DesiredSite site) throws StepFailed, ProviderException, InterruptedException {
    var at = frontDoor.address(site.fingerprint().tls().isPresent());
    var first = plan.found(site.id(), ObservedSite.class).isEmpty();
    var bake = first ? Duration.ZERO : ctx.settings().bake();
    // Credited only when no container slot went live at this switch: those are baked in full.
    var early = bakingSince != 0 && !bake.isZero() && !journal.startedPublished()
        ? System.nanoTime() - bakingSince
        : 0L;
    var until = System.nanoTime() - early + bake.toNanos();
    var rounds = early > 0 ? bakedRounds : 0;
    do {
      for (var slot : journal.started()) {
        var desired = declared(slot.id(), DesiredContainer.class);
        if (slot.hostPort().isPresent()) {
          probes.check(
              desired,
              desired.spec().smoke(),
              at,
              site.fingerprint().domains().getFirst(),
              "through nginx",
              frontDoor.trust());
        }
      }
      for (var service : journal.rolled()) {
        var desired = declared(service.id(), DesiredService.class).container();
        if (desired.spec().isRouted()) {
          probes.check(
              desired,
              desired.spec().smoke(),
              at,
              site.fingerprint().domains().getFirst(),
              "through nginx",
              frontDoor.trust());
        }
      }
      if (!bake.isZero()) {
        judgeTraffic(site);
      }
      rounds++;
      // In nanoseconds: rounded to milliseconds, the last one read as 0 left and the loop spun,
      // checking hundreds of times in its final millisecond.
      var left = until - System.nanoTime();
      if (left <= 0) {
        break;
      }
      ctx.cancellation()
          .sleep(site.id(), Duration.ofNanos(Math.min(Duration.ofMillis(250).toNanos(), left)));
    } while (System.nanoTime() < until);
    ctx.listener()
        .step(
            site.id(),
            first && !ctx.settings().bake().isZero()
                ? "smoke checks passed through nginx (no bake: a first deploy, with no previous site to put back)"
                : "smoke checks passed through nginx for " + bake.toMillis() / 1000.0 + " s ("
                    + rounds + (rounds == 1 ? " round" : " rounds")
                    + (early > 0
                        ? String.format(
                            Locale.ROOT,
                            ", %.1f s of it while the engine watched the new tasks",
                            Math.min(early, bake.toNanos()) / 1e9)
                        : "")
                    + ")");
  }

  private Optional<Long> logSize(ResourceId site) {
    try {
      return Optional.of(AccessLogs.of(frontDoor.door(), site).size());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The bake reads real traffic: the requests nginx logged for the new slots since the switch. More
   * 5xx answers than the project's bake.max_5xx allows (and at least {@link #MIN_5XX}, so that one
   * stray error of a quiet site does not count) fail the bake, which puts the old slots back.
   */
  private void judgeTraffic(DesiredSite site) throws StepFailed {
    if (logOffset.isEmpty()) {
      return;
    }
    var addresses = new HashSet<String>();
    journal.started().forEach(s -> s.address().ifPresent(addresses::add));
    journal.allServiceAddresses().forEach(addresses::addAll);
    if (addresses.isEmpty()) {
      return;
    }
    List<Request> since;
    try {
      since = AccessLogs.of(frontDoor.door(), site.id()).after(logOffset.get());
    } catch (IOException e) {
      return; // unreadable now: the smoke checks still judge
    }
    var theirs = since.stream().filter(r -> addresses.contains(r.upstream())).toList();
    var errors = theirs.stream().filter(Request::serverError).count();
    var allowed = ctx.projectOf(site.id()).frontDoor().max5xx();
    if (errors >= MIN_5XX && (double) errors / theirs.size() > allowed) {
      throw new StepFailed(
          site.id(),
          "bake",
          String.format(
              Locale.ROOT,
              "the new version answered %d of its %d requests since the switch with 5xx (%.1f%%, more than "
                  + "bake.max_5xx %.1f%%)",
              errors,
              theirs.size(),
              100.0 * errors / theirs.size(),
              allowed * 100));
    }
  }

  private <T extends DesiredResource> T declared(ResourceId id, Class<T> type) {
    return plan.declared(id, type)
        .orElseThrow(() -> new IllegalStateException("the plan declares no " + id));
  }
}
