package dev.reconcile.execute;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.provider.ContainerRuntime.RunningSlot;
import dev.reconcile.provider.ContainerRuntime.SlotLaunch;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.ResourceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The changes of one project environment, in the order of design.md: volumes, new slots beside
 * the old (health, smoke at the slot), the site switch (nginx -t, atomic install, reload, smoke
 * through nginx during the bake), drain, removal of old slots, then deletions.
 */
final class EnvironmentRollout {
  /** How long a reload may take to show: nginx starts new workers, old ones finish their requests. */
  private static final Duration RELOAD_LIMIT = Duration.ofSeconds(10);

  private final RolloutContext ctx;
  private final List<Change> changes;
  private final Probes probes;
  private final RetryPolicy retry;
  private final Map<String, PortAllocator> ports;
  private final List<RunningSlot> started = new ArrayList<>();
  private final List<ObservedContainer> retired = new ArrayList<>();
  private boolean siteInstalled;

  EnvironmentRollout(RolloutContext ctx, List<Change> changes, Map<String, PortAllocator> ports) {
    this.ctx = ctx;
    this.changes = List.copyOf(changes);
    this.retry = ctx.retry();
    this.probes = new Probes(ctx.runtime(), ctx.listener(), retry);
    this.ports = ports;
  }

  void run() throws StepFailed, ProviderException, InterruptedException {
    var siteId = changes.getFirst().id();
    var site = ResourceId.site(siteId.project(), siteId.environment());
    var previous = ctx.sites().installed(ctx.door(), site);
    try {
      // The pre-deploy backup (design.md: after the lock, before anything changes) belongs here,
      // once backups exist.
      for (var change : byKind(ResourceKind.VOLUME, false)) {
        ctx.listener().step(change.id(), retry.call(() -> ctx.runtime().ensureVolume(host(change.id()), change.id(),
            ctx.owner())).describe());
      }
      for (var change : byKind(ResourceKind.CONTAINER, false)) {
        roll(change);
      }
      var desiredSite = ctx.desired().get(site).map(DesiredSite.class::cast);
      if (desiredSite.isPresent() && needsSwitch(site)) {
        switchTraffic(desiredSite.get());
      }
    } catch (StepFailed | ProviderException | InterruptedException | RuntimeException e) {
      rollBack(site, previous);
      throw e;
    }
    finish();
  }

  private void roll(Change change) throws StepFailed, ProviderException, InterruptedException {
    var desired = (DesiredContainer) ctx.desired().get(change.id()).orElseThrow();
    var host = host(change.id());
    var old = ctx.observed().get(change.id()).map(ObservedContainer.class::cast);
    var slot = old.map(o -> o.slot().equals("blue") ? "green" : "blue").orElse("blue");
    if (change.action() == Action.REPLACE && desired.spec().updateStrategy() == UpdateStrategy.RECREATE) {
      ctx.listener().step(change.id(), ctx.runtime().remove(host, change.id(), old.orElseThrow().name())
          .describe() + " (update: recreate)");
      slot = old.get().slot();
    }
    var port = desired.isRouted() ? ports.get(host.name()).next() : java.util.OptionalInt.empty();
    if (desired.isRouted() && port.isEmpty()) {
      throw new StepFailed(change.id(), "port", "no free port left in platform.ports "
          + ctx.spec().platform().ports());
    }
    var running = ctx.runtime().start(host, new SlotLaunch(desired, slot, port,
        Environment.resolve(ctx, desired), ctx.owner()));
    started.add(running);
    ctx.listener().step(change.id(), "started " + running.name()
        + running.address().map(a -> " on " + a).orElse(""));
    probes.awaitHealthy(host, desired, running);
    if (port.isPresent()) {
      probes.smoke(desired, desired.spec().smoke(), "127.0.0.1", port.getAsInt(), domain(change.id()),
          "at the new slot");
    }
    if (change.action() == Action.REPLACE && old.isPresent()
        && desired.spec().updateStrategy() == UpdateStrategy.BLUE_GREEN) {
      retired.add(old.get());
    }
  }

  private boolean needsSwitch(ResourceId site) {
    var siteChange = changes.stream().filter(c -> c.id().equals(site)).findFirst();
    return siteChange.map(c -> c.action() != Action.NOOP && c.action() != Action.DELETE).orElse(false)
        || started.stream().anyMatch(s -> s.hostPort().isPresent());
  }

  /** Renders, judges, installs and reloads the site (one site at a time), waits until nginx serves it, bakes. */
  private void switchTraffic(DesiredSite site) throws StepFailed, ProviderException, InterruptedException {
    String text;
    ctx.frontDoor().lock();
    try {
      text = install(site);
    } finally {
      ctx.frontDoor().unlock();
    }
    // Outside the lock: a reload by another environment serves this site's file too.
    var revision = ctx.sites().revision(text);
    if (revision.isPresent()) {
      probes.awaitServed(site.id(), site.fingerprint().domains().getFirst(), revision.get(),
          frontDoorAddress(), RELOAD_LIMIT);
    }
    ctx.listener().step(site.id(), "installed and reloaded: traffic goes to the new slots");
    bake(site);
  }

  /** Judges, installs and reloads; returns the text installed. */
  private String install(DesiredSite site) throws StepFailed, ProviderException, InterruptedException {
    var text = ctx.sites().render(site, upstreams(site));
    if (ctx.sites().check(ctx.door(), site.id(), text) instanceof SiteControl.Verdict.Rejected r) {
      throw new StepFailed(site.id(), "nginx -t", "the generated site was refused and not installed:\n"
          + r.output());
    }
    // From here on a rollback must put the previous site back, whatever fails next.
    siteInstalled = true;
    ctx.sites().install(ctx.door(), site.id(), text);
    retry.call(() -> {
      ctx.sites().reload(ctx.door());
      return true;
    });
    return text;
  }

  private NginxSettings.Address frontDoorAddress() {
    return ctx.spec().platform().nginx().probeAddress();
  }

  /** Smoke checks through nginx, with the domain's Host header, until the bake time is over. */
  private void bake(DesiredSite site) throws StepFailed, InterruptedException {
    var door = frontDoorAddress();
    var until = System.nanoTime() + ctx.settings().bake().toNanos();
    var rounds = 0;
    do {
      for (var slot : started) {
        var desired = (DesiredContainer) ctx.desired().get(slot.id()).orElseThrow();
        if (slot.hostPort().isPresent()) {
          probes.check(desired, desired.spec().smoke(), door.host(), door.port(),
              site.fingerprint().domains().getFirst(), "through nginx");
        }
      }
      rounds++;
      var left = (until - System.nanoTime()) / 1_000_000L;
      if (left > 0) {
        Thread.sleep(Math.min(250, left));
      }
    } while (System.nanoTime() < until);
    ctx.listener().step(site.id(), "smoke checks passed through nginx for "
        + ctx.settings().bake().toMillis() / 1000.0 + " s (" + rounds + " rounds)");
  }

  private Map<String, String> upstreams(DesiredSite site) {
    var out = new LinkedHashMap<String, String>();
    for (var component : site.fingerprint().components()) {
      var id = ResourceId.container(site.id().project(), site.id().environment(), component);
      started.stream().filter(s -> s.id().equals(id)).findFirst().flatMap(RunningSlot::address)
          .or(() -> ctx.observed().get(id).map(ObservedContainer.class::cast)
              .filter(c -> c.hostPort().isPresent()).map(c -> "127.0.0.1:" + c.hostPort().getAsInt()))
          .ifPresent(address -> out.put(component, address));
    }
    return out;
  }

  private void finish() throws ProviderException, InterruptedException {
    if (!retired.isEmpty()) {
      ctx.listener().step(retired.getFirst().id(), "draining old slots for "
          + ctx.settings().drain().toSeconds() + " s");
      Thread.sleep(ctx.settings().drain().toMillis());
    }
    for (var old : retired) {
      ctx.listener().step(old.id(), retry.call(() -> ctx.runtime().remove(host(old.id()), old.id(),
          old.name())).describe());
    }
    Removals.run(ctx, changes);
  }

  private void rollBack(ResourceId site, Optional<String> previous) {
    ctx.frontDoor().lock();
    try {
      if (siteInstalled) {
        if (previous.isPresent()) {
          ctx.sites().install(ctx.door(), site, previous.get());
        } else {
          ctx.sites().uninstall(ctx.door(), site);
        }
        ctx.sites().reload(ctx.door());
        awaitPrevious(site, previous);
        ctx.listener().step(site, "rolled back: the previous site serves again");
      }
      for (var slot : started) {
        ctx.listener().step(slot.id(), "rolled back: " + ctx.runtime().remove(host(slot.id()), slot.id(),
            slot.name()).describe());
      }
    } catch (ProviderException | RuntimeException e) {
      ctx.listener().step(site, "ROLLBACK INCOMPLETE: " + e.getMessage() + "; run 'reconcile plan' to see what is left");
    } finally {
      ctx.frontDoor().unlock();
    }
  }

  /** Best effort: the rollback goes on (removing the new slots) even if this times out. */
  private void awaitPrevious(ResourceId site, Optional<String> previous) {
    var revision = previous.flatMap(text -> ctx.sites().revision(text));
    if (revision.isEmpty()) {
      return;
    }
    try {
      probes.awaitServed(site, domain(site), revision.get(), frontDoorAddress(), RELOAD_LIMIT);
    } catch (StepFailed e) {
      ctx.listener().step(site, "warning: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<Change> byKind(ResourceKind kind, boolean deletions) {
    return changes.stream().filter(c -> c.id().kind() == kind)
        .filter(c -> deletions ? c.action() == Action.DELETE
            : c.action() == Action.CREATE || c.action() == Action.REPLACE)
        .toList();
  }

  private HostSpec host(ResourceId id) {
    var project = ctx.spec().projects().get(id.project());
    var name = project != null ? project.host() : HostSpec.Docker.DEFAULT_ENDPOINT;
    return ctx.spec().platform().hosts().getOrDefault(name,
        ctx.spec().platform().hosts().values().iterator().next());
  }

  private String domain(ResourceId id) {
    var project = ctx.spec().projects().get(id.project());
    return project.domains().get(id.environment()).getFirst();
  }
}
