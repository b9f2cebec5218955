package dev.reconcile.providers.docker;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.observed.Conflict;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * Finds containers this state directory does not manage (unmanaged, or another spec's) that hold what desired resources need: a container name the tool
 * would give, or the port the managed nginx listens on. One list call per host.
 */
final class ConflictFinder {
  private ConflictFinder() {}

  static List<Conflict> find(
      DockerHost host,
      DesiredState desired,
      Optional<Integer> frontDoorPort,
      OthersContainers others)
      throws ProviderException {
    var needed = neededNames(host.name(), desired);
    var site = desired.all(DesiredSite.class).map(DesiredSite::id).findFirst();
    if (needed.isEmpty() && (frontDoorPort.isEmpty() || site.isEmpty())) {
      return List.of();
    }
    var conflicts = new ArrayList<Conflict>();
    for (var container : others.stream().toList()) {
      var name = ContainerObserver.name(container);
      var holder = "container " + name + " (" + container.getId().substring(0, 12) + ")";
      Optional.ofNullable(needed.get(name))
          .ifPresent(
              id -> conflicts.add(new Conflict(host.name(), holder, "the name " + name, id)));
      if (frontDoorPort.isPresent()
          && site.isPresent()
          && publishes(container, frontDoorPort.get())) {
        conflicts.add(new Conflict(
            host.name(),
            holder,
            "port " + frontDoorPort.get() + ", where the managed nginx listens",
            site.get()));
      }
    }
    return conflicts;
  }

  private static HashMap<String, ResourceId> neededNames(String host, DesiredState desired) {
    var needed = new HashMap<String, ResourceId>();
    desired
        .all(DesiredContainer.class)
        .filter(c -> c.host().equals(host))
        .forEach(c ->
            Names.SLOTS.forEach(slot -> needed.put(Names.container(c.id(), slot), c.id())));
    return needed;
  }

  private static boolean publishes(Container container, int port) {
    if (container.getPorts() == null) {
      return false;
    }
    for (ContainerPort p : container.getPorts()) {
      if (p.getPublicPort() != null && p.getPublicPort() == port) {
        return true;
      }
    }
    return false;
  }
}
