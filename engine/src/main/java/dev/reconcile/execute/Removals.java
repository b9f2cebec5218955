package dev.reconcile.execute;

import dev.reconcile.model.HostSpec;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedResource;
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
    // In this order: a service's tasks are gone when its removal returns, so its network is free
    // then; volumes last, once nothing is on them.
    for (var kind : ON_HOSTS) {
      for (var change : deletions) {
        if (change.id().kind() == kind) {
          var found = change
              .found(ObservedResource.class)
              .flatMap(RolloutContext::hostFound)
              .orElseThrow(() -> new IllegalStateException(
                  "the plan's deletion of " + change.label() + " carries no host"));
          ctx.listener()
              .step(
                  change.id(),
                  ctx.apply(ctx.dockerTarget(host(ctx, found)), change).describe());
        }
      }
    }
  }

  private static final List<ResourceKind> ON_HOSTS = List.of(
      ResourceKind.CONTAINER, ResourceKind.SERVICE, ResourceKind.NETWORK, ResourceKind.VOLUME);

  /**
   * Retires the container observed (its stop signal, its stop grace, then removal), by its id: a
   * slot of the same name may have been started since (this rollout frees a leftover's name
   * before it starts the new slot there).
   */
  static String removeObserved(RolloutContext ctx, ObservedContainer found)
      throws ProviderException {
    var outcome = ctx.runtime().retire(host(ctx, found.host()), found.id(), found.containerId());
    return switch (outcome) {
      case Outcome.AlreadyAbsent a ->
        "container " + found.name() + " (" + shortId(found.containerId()) + ") already gone";
      case Outcome.Deleted d -> d.describe();
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
