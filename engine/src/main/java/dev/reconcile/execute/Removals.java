package dev.reconcile.execute;

import dev.reconcile.model.HostSpec;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedNetwork;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.observed.ObservedVolume;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceKind;
import java.util.List;

/**
 * Deletions of one environment, after traffic has moved: site first, then containers, services,
 * networks, volumes.
 */
final class Removals {
  private Removals() {}

  static void run(RolloutContext ctx, List<Change> changes, FrontDoor door, FileLock doorLock)
      throws ProviderException {
    var deletions = changes.stream().filter(c -> c.action() == Action.DELETE).toList();
    try (var held = doorLock.hold()) {
      for (var change : deletions) {
        if (change.id().kind() == ResourceKind.SITE) {
          ctx.listener().step(change.id(), ctx.apply(door, change).describe());
        }
      }
    }
    for (var change : deletions) {
      if (change.id().kind() == ResourceKind.CONTAINER) {
        var found = change.found(ObservedContainer.class).orElseThrow();
        ctx.listener()
            .step(
                change.id(),
                ctx.apply(ctx.dockerTarget(host(ctx, found.host())), change).describe());
      }
    }
    // A service's tasks are gone when its removal returns: its network is free then.
    for (var change : deletions) {
      if (change.id().kind() == ResourceKind.SERVICE) {
        var found = change.found(ObservedService.class).orElseThrow();
        ctx.listener()
            .step(
                change.id(),
                ctx.apply(ctx.dockerTarget(host(ctx, found.host())), change).describe());
      }
    }
    for (var change : deletions) {
      if (change.id().kind() == ResourceKind.NETWORK) {
        var found = change.found(ObservedNetwork.class).orElseThrow();
        ctx.listener()
            .step(
                change.id(),
                ctx.apply(ctx.dockerTarget(host(ctx, found.host())), change).describe());
      }
    }
    for (var change : deletions) {
      if (change.id().kind() == ResourceKind.VOLUME) {
        var found = change.found(ObservedVolume.class).orElseThrow();
        ctx.listener()
            .step(
                change.id(),
                ctx.apply(ctx.dockerTarget(host(ctx, found.host())), change).describe());
      }
    }
  }

  /**
   * Removes the container observed, by its id: a slot of the same name may have been started
   * since (this rollout frees a leftover's name before it starts the new slot there).
   */
  static String removeObserved(RolloutContext ctx, ObservedContainer found)
      throws ProviderException {
    var outcome = ctx.runtime().remove(host(ctx, found.host()), found.id(), found.containerId());
    return switch (outcome) {
      case Outcome.AlreadyAbsent a ->
        "container " + found.name() + " (" + shortId(found.containerId()) + ") already gone";
      default -> "removed container " + found.name() + " (" + shortId(found.containerId()) + ")";
    };
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
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
