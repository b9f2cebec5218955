package dev.reconcile.providers.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Network;
import dev.reconcile.model.NetworkPool;
import dev.reconcile.provider.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Networks made on free blocks of the pool ({@code platform.networks.pool}): a /24 for a network
 * of names, a /20 for the host's egress network. Other processes make networks on the same engine
 * at the same time, so a block is picked at random among the free ones and another is tried when
 * one was taken meanwhile.
 */
final class Subnets {
  /** How often a subnet another apply took meanwhile is skipped before giving up. */
  private static final int TRIES = 8;

  private Subnets() {}

  /**
   * Makes a network on a free block of the pool; {@code ours} tells a network of this name another
   * apply made meanwhile (fine) from someone else's (not).
   */
  static void create(
      DockerHost host,
      String network,
      Map<String, String> labels,
      int prefix,
      NetworkPool pool,
      Predicate<Map<String, String>> ours)
      throws ProviderException {
    for (var attempt = 0; attempt < TRIES; attempt++) {
      // One network made at a time per engine in this process: the environments of one apply
      // would otherwise all pick the same first free subnet, and all but one retry, again and
      // again.
      synchronized (CREATING.computeIfAbsent(host.name(), name -> new Object())) {
        if (tryCreate(host, network, labels, prefix, pool, ours)) {
          return;
        }
      }
    }
    throw new ProviderException.Transient(
        host.describe(),
        "creating network " + network + ": " + TRIES + " free subnets of " + pool
            + " were taken before they could be used",
        "retry",
        null);
  }

  private static final Map<String, Object> CREATING = new ConcurrentHashMap<>();

  /** One try on a free block; false when another engine user took it since it was listed. */
  private static boolean tryCreate(
      DockerHost host,
      String network,
      Map<String, String> labels,
      int prefix,
      NetworkPool pool,
      Predicate<Map<String, String>> ours)
      throws ProviderException {
    var subnet = freeSubnet(host, pool, prefix);
    var egress = Networks.EGRESS.equals(labels.get(Labels.NETWORK_ROLE));
    try {
      DockerErrors.call(
          host,
          "creating network " + network + " on " + subnet,
          () -> host.client()
              .createNetworkCmd()
              .withName(network)
              .withDriver("bridge")
              .withInternal(!egress)
              // Tenants of the shared egress network never reach each other over it.
              .withOptions(
                  egress ? Map.of("com.docker.network.bridge.enable_icc", "false") : Map.of())
              .withCheckDuplicate(true)
              .withLabels(labels)
              .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet)))
              .exec());
      return true;
    } catch (ProviderException e) {
      var said = e.getCause() instanceof DockerException d ? DockerErrors.engineMessage(d) : "";
      if (said.contains("already exists")
          && Networks.find(host, network).filter(n -> ours.test(n.getLabels())).isPresent()) {
        return true; // made meanwhile by another environment or apply (a shared network)
      }
      if (!said.contains("overlaps")) {
        throw e;
      }
      return false; // another apply or engine user took the subnet since it was listed: the next
      // one
    }
  }

  /**
   * A block of the pool that no network of the engine overlaps, picked at random among the free
   * ones: other processes (another environment's apply, a second checkout) create networks on the
   * same engine at the same time, and all taking the first free one made all but one retry, round
   * after round (11 at once ran out of tries).
   */
  private static String freeSubnet(DockerHost host, NetworkPool pool, int prefix)
      throws ProviderException {
    var used = new ArrayList<String>();
    for (var network : DockerErrors.call(
        host, "listing networks", () -> host.client().listNetworksCmd().exec())) {
      var subnet = of(network);
      if (!subnet.isEmpty()) {
        used.add(subnet);
      }
    }
    var free = free(pool, prefix, used);
    if (free.isEmpty()) {
      throw new ProviderException.Terminal(
          host.describe(),
          "no /" + prefix + " of the network pool " + pool + " is free: " + used.size()
              + " networks use the engine's address space",
          "give platform.networks.pool a larger or "
              + "other range, or remove networks no longer used (docker network prune)",
          null);
    }
    return free.get(ThreadLocalRandom.current().nextInt(free.size()));
  }

  /** The /24s of the pool that none of these IPv4 subnets overlaps, in order. */
  static List<String> free(NetworkPool pool, List<String> used) {
    return free(pool, NetworkPool.SUBNET_PREFIX, used);
  }

  /** The blocks of this prefix in the pool that none of these IPv4 subnets overlaps, in order. */
  static List<String> free(NetworkPool pool, int prefix, List<String> used) {
    var free = new ArrayList<String>();
    for (var i = 0; i < pool.blocks(prefix); i++) {
      var candidate = pool.block(prefix, i);
      if (used.stream()
          .noneMatch(
              u -> u.indexOf('/') > 0 && !u.contains(":") && NetworkPool.overlap(u, candidate))) {
        free.add(candidate);
      }
    }
    return free;
  }

  /** A network's IPv4 subnet as the engine lists it; empty when it has none. */
  static String of(Network network) {
    if (network.getIpam() == null || network.getIpam().getConfig() == null) {
      return "";
    }
    return network.getIpam().getConfig().stream()
        .map(Network.Ipam.Config::getSubnet)
        .filter(s -> s != null && !s.isEmpty())
        .findFirst()
        .orElse("");
  }
}
