package dev.reconcile.providers.docker;

import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network;
import dev.reconcile.desired.DesiredNetwork;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Networking;
import dev.reconcile.model.NetworkPool;
import dev.reconcile.observed.Conflict;
import dev.reconcile.observed.ObservedNetwork;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The networks of project environments: for an environment with more than one container (or one
 * shared into it), an internal bridge where its containers find each other by name ({@code
 * shop-production}), on a /24 of the pool of its own, so that a host holds many environments (the
 * engine's default pools run out after about thirty networks) and a container can be reconnected
 * with the same address when its names move (see {@link #moveNames}). Every container publishes its
 * port and reaches the world through the host's one egress network ({@link Networking#EGRESS}, a
 * /20 of the pool, inter-container traffic off), which belongs to no environment and no owner.
 */
final class Networks {
  static final String NAMES = "names";
  static final String EGRESS = "egress";
  /** The egress network's block: room for 4,094 containers, both slots of 2,000 environments. */
  static final int EGRESS_PREFIX = 20;

  private Networks() {}

  /** The environments' networks of this owner, and other networks holding a name one needs. */
  static void observe(
      DockerHost host,
      String owner,
      DesiredState desired,
      List<ObservedResource> found,
      List<Conflict> conflicts)
      throws ProviderException {
    var all = DockerErrors.call(
        host, "listing networks", () -> host.client().listNetworksCmd().exec());
    var needed = new HashMap<String, ResourceId>();
    desired
        .all(DesiredNetwork.class)
        .filter(n -> n.host().equals(host.name()))
        .forEach(n -> needed.put(n.name(), n.id()));
    var mine = new TreeMap<ResourceId, List<Network>>();
    for (var network : all) {
      var labels = network.getLabels() == null ? Map.<String, String>of() : network.getLabels();
      if (!Labels.isOwnedBy(labels, owner)) {
        Optional.ofNullable(needed.get(network.getName()))
            .ifPresent(id -> conflicts.add(new Conflict(
                host.name(),
                "network " + network.getName() + " (" + Labels.describeOwner(labels) + ")",
                "the name " + network.getName(),
                id)));
        continue;
      }
      if (!Labels.isForHost(labels, host.name())) {
        continue;
      }
      try {
        var id = ResourceId.network(
            labels.getOrDefault(Labels.PROJECT, ""), labels.getOrDefault(Labels.ENVIRONMENT, ""));
        mine.computeIfAbsent(id, k -> new ArrayList<>()).add(network);
      } catch (IllegalArgumentException e) {
        // Labels that do not name an environment: not ours to judge.
      }
    }
    mine.forEach((id, networks) -> {
      var sorted =
          networks.stream().sorted(Comparator.comparing(Network::getName)).toList();
      found.add(new ObservedNetwork(
          id,
          host.name(),
          sorted.stream().map(Network::getName).toList(),
          sorted.stream().map(Subnets::of).toList(),
          sorted.getFirst().getLabels().getOrDefault(Labels.SPEC_HASH, "")));
    });
  }

  /** Creates the environment's network of names when it is missing. */
  static Outcome ensure(DockerHost host, ResourceId id, String owner, NetworkPool pool)
      throws ProviderException {
    var name = Networking.of(id.project(), id.environment());
    var existing = find(host, name);
    if (existing.isPresent()) {
      if (!Labels.isOwnedBy(existing.get().getLabels(), owner)) {
        throw new ProviderException.Terminal(
            host.describe(),
            "network " + name + " exists and is "
                + Labels.describeOwner(existing.get().getLabels()),
            "remove or rename it (docker network rm " + name + "), or rename the project",
            null);
      }
      return new Outcome.Unchanged(id, "network " + name);
    }
    var labels = new HashMap<String, String>();
    labels.put(Labels.MANAGED, "true");
    labels.put(Labels.PROJECT, id.project());
    labels.put(Labels.ENVIRONMENT, id.environment());
    labels.put(Labels.OWNER, owner);
    labels.put(Labels.HOST, host.name());
    labels.put(Labels.NETWORK_ROLE, NAMES);
    labels.put(Labels.SPEC_HASH, DesiredNetwork.of(id, host.name()).specHash());
    Subnets.create(
        host, name, labels, NetworkPool.SUBNET_PREFIX, pool, n -> Labels.isOwnedBy(n, owner));
    return new Outcome.Created(id, "network " + name + " (" + subnetOf(host, name) + ")");
  }

  /**
   * The network of names made when missing, and the environment's egress network of its own from
   * before the host's removed when no container is on it (the plan found none; one that joined
   * since keeps it).
   */
  static Outcome update(DockerHost host, ResourceId id, String owner, NetworkPool pool)
      throws ProviderException {
    var ensured = ensure(host, id, owner, pool);
    var legacy = Networking.legacyEgress(Networking.of(id.project(), id.environment()));
    var existing = find(host, legacy);
    if (existing.isEmpty() || !Labels.isOwnedBy(existing.get().getLabels(), owner)) {
      return ensured;
    }
    if (existing.get().getContainers() != null
        && !existing.get().getContainers().isEmpty()) {
      return new Outcome.Kept(
          id,
          "network " + legacy,
          existing.get().getContainers().size() + " container(s) joined it since the plan");
    }
    DockerErrors.find(host, "removing network " + legacy, () -> {
      host.client().removeNetworkCmd(legacy).exec();
      return legacy;
    });
    var made = ensured instanceof Outcome.Created c ? "created " + c.what() + "; " : "";
    return new Outcome.Updated(
        id, made + "removed network " + legacy + ", which no container used");
  }

  /**
   * The host's egress network, made on first use: every container is created on it. Made by whichever
   * owner comes first, and shared by all (it holds nothing of theirs but addresses): so it carries
   * no owner, and no owner removes it.
   */
  static String egress(DockerHost host, NetworkPool pool) throws ProviderException {
    var existing = find(host, Networking.EGRESS);
    if (existing.isPresent()) {
      if (!isEgress(existing.get().getLabels())) {
        throw new ProviderException.Terminal(
            host.describe(),
            "network " + Networking.EGRESS + " exists and was not made by reconcile",
            "remove or rename it (docker network rm " + Networking.EGRESS + ")",
            null);
      }
      return Networking.EGRESS;
    }
    var labels = new HashMap<String, String>();
    labels.put(Labels.MANAGED, "true");
    labels.put(Labels.NETWORK_ROLE, EGRESS);
    Subnets.create(host, Networking.EGRESS, labels, EGRESS_PREFIX, pool, Networks::isEgress);
    return Networking.EGRESS;
  }

  private static boolean isEgress(@Nullable Map<String, String> labels) {
    return labels != null
        && "true".equals(labels.get(Labels.MANAGED))
        && EGRESS.equals(labels.get(Labels.NETWORK_ROLE))
        && !labels.containsKey(Labels.PROJECT);
  }

  /**
   * Removes the environment's networks (its network of names, and an egress network of its own from
   * before the host had one), disconnecting whatever still holds on to them.
   */
  static Outcome remove(DockerHost host, ResourceId id) throws ProviderException {
    var name = Networking.of(id.project(), id.environment());
    var removed = new ArrayList<String>();
    for (var network : List.of(name, Networking.legacyEgress(name))) {
      var existing = find(host, network);
      if (existing.isEmpty()) {
        continue;
      }
      var containers = existing.get().getContainers() == null
          ? Map.<String, Network.ContainerNetworkConfig>of()
          : existing.get().getContainers();
      for (var container : containers.keySet()) {
        DockerErrors.find(host, "disconnecting " + container + " from " + network, () -> {
          host.client()
              .disconnectFromNetworkCmd()
              .withNetworkId(network)
              .withContainerId(container)
              .withForce(true)
              .exec();
          return container;
        });
      }
      DockerErrors.find(host, "removing network " + network, () -> {
        host.client().removeNetworkCmd(network).exec();
        return network;
      });
      removed.add(network);
    }
    return removed.isEmpty()
        ? new Outcome.AlreadyAbsent(id, "networks " + name)
        : new Outcome.Deleted(
            id, "network" + (removed.size() > 1 ? "s " : " ") + String.join(" and ", removed));
  }

  /**
   * Gives a container its names (or takes them away) on its network and the networks it is shared
   * with: the engine sets a container's names when it joins a network, so it leaves and joins again
   * at once, with the same address. Its open connections there survive (their packets are only
   * delayed), and its published port is on the other network, untouched.
   */
  static void moveNames(DockerHost host, String containerId, Networking networking, boolean give)
      throws ProviderException {
    var inspected = DockerErrors.call(
        host,
        "inspecting container " + containerId,
        () -> host.client().inspectContainerCmd(containerId).exec());
    var joined = inspected.getNetworkSettings() == null
            || inspected.getNetworkSettings().getNetworks() == null
        ? Map.<String, ContainerNetwork>of()
        : inspected.getNetworkSettings().getNetworks();
    var targets = new ArrayList<String>();
    if (networking.named()) {
      targets.add(networking.network());
    }
    targets.addAll(networking.sharedNetworks());
    for (var network : targets) {
      var now = joined.get(network);
      if (now == null) {
        // A container from before networks, or one being made: nothing to move here.
        continue;
      }
      var address = now.getIpAddress();
      var aliases = !give
          ? List.<String>of()
          : network.equals(networking.network())
              ? networking.aliases()
              : List.of(networking.fullName());
      DockerErrors.call(host, "taking " + inspected.getName() + " off network " + network, () -> {
        host.client()
            .disconnectFromNetworkCmd()
            .withNetworkId(network)
            .withContainerId(containerId)
            .exec();
        return network;
      });
      join(
          host,
          containerId,
          network,
          aliases,
          Optional.ofNullable(address).filter(a -> !a.isEmpty()));
    }
  }

  /** See {@link dev.reconcile.provider.ContainerRuntime#joinInPlace}; each step skipped when done already. */
  static void joinInPlace(DockerHost host, String containerId, Networking networking, String owner)
      throws ProviderException {
    if (networking.named()) {
      ensure(host, networking.environment(), owner, networking.pool());
    }
    var inspected = DockerErrors.call(
        host,
        "inspecting container " + containerId,
        () -> host.client().inspectContainerCmd(containerId).exec());
    var joined = inspected.getNetworkSettings() == null
            || inspected.getNetworkSettings().getNetworks() == null
        ? Set.<String>of()
        : inspected.getNetworkSettings().getNetworks().keySet();
    var bridged = joined.contains("bridge");
    if (bridged && !joined.contains(Networking.EGRESS)) {
      join(host, containerId, egress(host, networking.pool()), List.of(), Optional.empty());
    }
    if (networking.named() && !joined.contains(networking.network())) {
      join(host, containerId, networking.network(), networking.aliases(), Optional.empty());
    }
    for (var shared : networking.shared()) {
      if (!joined.contains(Networking.of(shared))) {
        ensure(host, shared, owner, networking.pool());
        join(
            host,
            containerId,
            Networking.of(shared),
            List.of(networking.fullName()),
            Optional.empty());
      }
    }
    if (bridged) {
      // Its way out is the egress network now; what other tenants could reach it by goes.
      DockerErrors.call(
          host, "taking " + inspected.getName() + " off Docker's default bridge", () -> {
            host.client()
                .disconnectFromNetworkCmd()
                .withNetworkId("bridge")
                .withContainerId(containerId)
                .exec();
            return containerId;
          });
    }
  }

  /** Connects a container to a network, under these names, at this address when given. */
  static void join(
      DockerHost host,
      String containerId,
      String network,
      List<String> aliases,
      Optional<String> address)
      throws ProviderException {
    var endpoint = new ContainerNetwork().withAliases(aliases);
    address.ifPresent(a -> endpoint.withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(a)));
    DockerErrors.call(
        host,
        "connecting " + containerId + " to network " + network
            + (aliases.isEmpty() ? "" : " as " + String.join(", ", aliases)),
        () -> {
          host.client()
              .connectToNetworkCmd()
              .withNetworkId(network)
              .withContainerId(containerId)
              .withContainerNetwork(endpoint)
              .exec();
          return network;
        });
  }

  static Optional<Network> find(DockerHost host, String name) throws ProviderException {
    return DockerErrors.find(
            host,
            "looking up network " + name,
            () -> host.client().inspectNetworkCmd().withNetworkId(name).exec())
        .filter(n -> name.equals(n.getName()));
  }

  private static String subnetOf(DockerHost host, String name) {
    try {
      return find(host, name).map(Subnets::of).orElse("?");
    } catch (ProviderException e) {
      return "?";
    }
  }
}
