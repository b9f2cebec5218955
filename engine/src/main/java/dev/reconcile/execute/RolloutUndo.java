package dev.reconcile.execute;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.SiteDiff;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.ServiceRuntime;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.util.TlsTrust;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Undoes what the journal says a rollout did, newest first in effect: old containers stopped by
 * recreate start again, services are put back, the previous site comes back (before the new slots
 * go, so nothing routes to a removed slot), then the new slots are removed. Each step is tried even
 * when an earlier one failed, except that the new slots stay when the previous site could not be
 * put back: nginx may still route to them (a connection to the server that dropped after the
 * reload), and the next apply removes them once nothing does.
 */
final class RolloutUndo {
  private final RolloutContext ctx;
  private final RolloutJournal journal;
  private final Probes probes;
  private final FrontDoorAccess frontDoor;
  private final EnvironmentChanges plan;

  RolloutUndo(
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

  Undo run(ResourceId site) {
    // The rollback must run to its end whatever interrupted the rollout.
    var wasInterrupted = Thread.interrupted();
    var previous = journal.previousSite();
    var undo = new Undo.Builder();
    for (var old : journal.unnamed()) {
      try {
        var networking = plan.declared(old.id(), DesiredContainer.class)
            .flatMap(DesiredContainer::networking)
            .orElseThrow();
        ctx.runtime().moveNames(ctx.hostOf(old.id()), old.containerId(), networking, true);
        undo.undone(old.name() + " answers to its names again");
      } catch (ProviderException e) {
        undo.failed("giving " + old.name() + " its names back", e);
      }
    }
    for (var old : journal.stopped()) {
      undo.interrupted();
      try {
        undo.undone(
            ctx.runtime().startAgain(ctx.hostOf(old.id()), old.id(), old.name()).describe());
      } catch (ProviderException e) {
        undo.failed("starting " + old.name() + " again", e);
      }
    }
    // A service is put back by the engine (its previous spec, or removed when this rollout made
    // it); its tasks then get new ports, which the previous site is rendered with.
    for (var service : journal.rolled().reversed()) {
      try {
        undo.undone(
            ctx.services().orElseThrow().undo(ctx.hostOf(service.id()), service).describe());
      } catch (ProviderException e) {
        undo.failed("putting back service " + service.id(), e);
      }
    }
    journal.siteTakenOver().ifPresent(taken -> {
      try {
        frontDoor.door().host().write(taken.file(), taken.text());
        undo.undone("the site file " + taken.file() + " is back");
      } catch (IOException e) {
        undo.failed(
            "putting the site file " + taken.file() + " back (a copy is in " + taken.copy() + ")",
            new ProviderException.Terminal("nginx", String.valueOf(e.getMessage()), "", e));
      }
    });
    var siteBack = true;
    if (journal.siteInstalled() && !journal.rolled().isEmpty() && previous.isPresent()) {
      siteBack = followBack(site, undo);
    } else if (journal.siteInstalled()) {
      siteBack = false;
      var door = frontDoor.door();
      try (var held = frontDoor.lock().hold()) {
        if (previous.isPresent()) {
          ctx.sites().install(door, site, previous.get());
        } else {
          ctx.sites().uninstall(door, site);
        }
        ctx.sites().serve(door, List.of(site));
        undo.undone(
            previous.isPresent() ? "the previous site serves again" : "the new site was removed");
        siteBack = true;
      } catch (ProviderException | RuntimeException e) {
        undo.failed("putting the previous site back", e);
      }
      siteBack = awaitPrevious(site, previous, undo) && siteBack;
    }
    for (var slot : journal.started()) {
      if (!siteBack) {
        undo.failed(
            "removing " + slot.name(),
            new ProviderException.Terminal(
                slot.name(),
                "kept: nginx may "
                    + "still route to it, since the previous site could not be put back; the next apply removes it",
                "",
                null));
        continue;
      }
      try {
        // A slot that took traffic finishes what nginx sent it before the switch back, within
        // its stop grace; one that never did goes at once.
        var host = ctx.hostOf(slot.id());
        undo.undone((journal.switchedAt() != 0L
                ? ctx.runtime().retire(host, slot.id(), slot.name())
                : ctx.runtime().remove(host, slot.id(), slot.name()))
            .describe());
      } catch (ProviderException e) {
        undo.failed("removing " + slot.name(), e);
      }
    }
    // Only once the new writers of their data are gone: never two on one folder.
    for (var legacy : journal.adoptedStopped()) {
      var adoption = ResourceId.adoption(site.project(), site.environment());
      if (!siteBack) {
        undo.failed(
            "starting " + legacy.name() + " again",
            new ProviderException.Terminal(
                legacy.name(),
                "kept stopped: the new containers on its data may still run",
                "",
                null));
        continue;
      }
      try {
        undo.undone(ctx.runtime()
            .startAgain(ctx.hostOf(adoption), adoption, legacy.name())
            .describe());
      } catch (ProviderException e) {
        undo.failed("starting " + legacy.name() + " again", e);
      }
    }
    var done = undo.build();
    done.undone().forEach(line -> ctx.listener().step(site, "rolled back: " + line));
    done.notUndone().forEach(line -> ctx.listener().step(site, "NOT rolled back: " + line));
    if (wasInterrupted) {
      Thread.currentThread().interrupt();
    }
    return done;
  }

  /**
   * After the engine was asked to put services back: waits until it did, then serves the previous
   * site (its routes, as observed before this rollout) with the tasks healthy now.
   */
  private boolean followBack(ResourceId site, Undo.Builder undo) {
    var recorded = plan.found(site, ObservedSite.class).flatMap(ObservedSite::recorded);
    if (recorded.isEmpty()) {
      undo.failed(
          "putting the previous site back",
          new ProviderException.Terminal(
              "nginx", "the previous site records no routes to render again", "", null));
      return false;
    }
    try {
      var previousSite = new DesiredSite(
          site,
          recorded.get(),
          recorded.get().specHash(),
          plan.of(site).flatMap(Change::declared).map(d -> d.dependsOn()).orElse(List.of()),
          ctx.snippetOf(site));
      for (var service : journal.rolled()) {
        if (service.previous().isEmpty()) {
          continue;
        }
        var replicas = plan.found(service.id(), ObservedService.class)
            .map(ObservedService::replicas)
            .orElse(1);
        var back = new ServiceRuntime.Rolled(
            service.id(), service.serviceId(), Optional.empty(), service.limit(), "put back");
        var until = System.nanoTime() + service.limit().toNanos();
        var routed = journal.serviceAddresses(service.id()).orElse(List.of());
        while (true) {
          var now = ctx.services().orElseThrow().progress(ctx.hostOf(service.id()), back, replicas);
          if (!now.addresses().isEmpty()) {
            journal.serviceAddresses(service.id(), now.addresses());
          }
          // The engine replaces the tasks nginx routes to once more: nginx follows them, as on the
          // way forward, or the last of them is gone while the engine still watches the new ones.
          if (!now.addresses().isEmpty() && !now.addresses().equals(routed)) {
            routed = now.addresses();
            follow(previousSite, routed);
          }
          if (now.ended() || System.nanoTime() > until) {
            break;
          }
          Thread.sleep(200);
        }
      }
      servePrevious(previousSite);
      undo.undone("the previous site serves again, with the tasks the engine put back");
      return true;
    } catch (ProviderException | RuntimeException e) {
      undo.failed("putting the previous site back", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Routes the previous site to the tasks healthy now; a refusal is left to the last render. */
  private void follow(DesiredSite previousSite, List<String> tasks) {
    try {
      servePrevious(previousSite);
      ctx.listener()
          .step(
              previousSite.id(),
              "rolling back: nginx routes to the healthy tasks " + SiteDiff.upstream(tasks));
    } catch (ProviderException | RuntimeException e) {
      // The render after the engine is done tries again, and says so if that fails too.
    }
  }

  /**
   * The previous site, with the service's tasks as last seen; installed and served directly (no
   * batch, no wait for a cancelled run's probes): an undo runs after a SIGTERM too.
   */
  private void servePrevious(DesiredSite previousSite) throws ProviderException {
    var door = frontDoor.door();
    try (var held = frontDoor.lock().hold()) {
      ctx.sites()
          .install(
              door,
              previousSite.id(),
              ctx.sites().render(door, previousSite, frontDoor.upstreams(previousSite)));
      ctx.sites().serve(door, List.of(previousSite.id()));
    }
  }

  /** Whether nginx was seen serving the previous site (true when there is none to look for). */
  private boolean awaitPrevious(ResourceId site, Optional<String> previous, Undo.Builder undo) {
    var revision = previous.flatMap(text -> ctx.sites().revision(text));
    if (revision.isEmpty()) {
      return true;
    }
    try {
      var tls = ctx.sites().overTls(previous.get());
      probes.awaitServed(
          site,
          ctx.domainOf(site),
          revision.get(),
          frontDoor.address(tls),
          FrontDoorAccess.RELOAD_LIMIT,
          tls
              ? Optional.of(frontDoor.trust().orElse(TlsTrust.trusting(List.of())))
              : Optional.empty());
      return true;
    } catch (StepFailed | ProviderException e) {
      undo.failed("confirming nginx serves the previous site", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }
}
