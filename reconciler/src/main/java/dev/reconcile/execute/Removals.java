package dev.reconcile.execute;

import dev.reconcile.model.HostSpec;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedVolume;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceKind;
import java.util.List;

/** Deletions of one environment, after traffic has moved: site first, then containers, volumes. */
final class Removals {
  private Removals() {}

  static void run(RolloutContext ctx, List<Change> changes) throws ProviderException {
    var deletions = changes.stream().filter(c -> c.action() == Action.DELETE).toList();
    ctx.frontDoor().lock();
    try {
      var siteRemoved = false;
      for (var change : deletions) {
        if (change.id().kind() == ResourceKind.SITE) {
          ctx.listener().step(change.id(), ctx.sites().uninstall(ctx.door(), change.id()).describe());
          siteRemoved = true;
        }
      }
      if (siteRemoved) {
        ctx.sites().reload(ctx.door());
      }
    } finally {
      ctx.frontDoor().unlock();
    }
    for (var change : deletions) {
      if (change.id().kind() == ResourceKind.CONTAINER) {
        var found = container(ctx, change);
        ctx.listener().step(change.id(), ctx.runtime().remove(host(ctx, found.host()), change.id(),
            found.name()).describe());
      }
    }
    for (var change : deletions) {
      if (change.id().kind() == ResourceKind.VOLUME) {
        var found = (ObservedVolume) ctx.observed().get(change.id()).orElseThrow();
        ctx.listener().step(change.id(), ctx.runtime().removeVolume(host(ctx, found.host()),
            change.id()).describe());
      }
    }
  }

  private static ObservedContainer container(RolloutContext ctx, Change change) {
    if (change.slot().isPresent()) {
      return ctx.observed().strays().stream()
          .filter(s -> s.id().equals(change.id()) && s.slot().equals(change.slot().get()))
          .findFirst().orElseThrow();
    }
    return (ObservedContainer) ctx.observed().get(change.id()).orElseThrow();
  }

  private static HostSpec host(RolloutContext ctx, String name) {
    var host = ctx.spec().platform().hosts().get(name);
    if (host == null) {
      throw new IllegalStateException("host " + name + " holds managed containers but is no longer "
          + "declared in platform.hosts");
    }
    return host;
  }
}
