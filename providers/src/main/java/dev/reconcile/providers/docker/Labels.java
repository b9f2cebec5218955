package dev.reconcile.providers.docker;

import java.util.List;
import java.util.Map;

/** The labels on everything the tool creates in Docker (design.md, "Conventions on the hosts"). */
public final class Labels {
  public static final String MANAGED = "reconcile.managed";
  public static final String PROJECT = "reconcile.project";
  public static final String ENVIRONMENT = "reconcile.environment";
  public static final String COMPONENT = "reconcile.component";
  public static final String SPEC_HASH = "reconcile.spec-hash";
  public static final String SLOT = "reconcile.slot";
  /** The container's fingerprint as canonical JSON (secret values as digests): names what changed. */
  public static final String SPEC = "reconcile.spec";
  /** The state directory (its id) that manages the object: two specs on one engine never mix. */
  public static final String OWNER = "reconcile.owner";
  /**
   * The name in platform.hosts of the host it was made for: two entries may reach one engine (a
   * server's own name and its address over SSH), and each sees only its own.
   */
  public static final String HOST = "reconcile.host";
  /** The loopback port a slot publishes: its own still when it is stopped, for no other to take. */
  public static final String HOST_PORT = "reconcile.host-port";
  /** Which of a project environment's networks: {@code names} or {@code egress}. */
  public static final String NETWORK_ROLE = "reconcile.network";
  /** Marks a throwaway container ({@code release}, {@code run}): never a slot. */
  public static final String ONE_OFF = "reconcile.one-off";
  /** The component a one-off container was made like. */
  public static final String ONE_OFF_OF = "reconcile.one-off-of";
  /** A managed volume's name inside its project environment. */
  public static final String VOLUME = "reconcile.volume";

  /** On a volume made on another's data (adopt.volumes): that Docker volume's name. */
  public static final String ADOPTED_FROM = "reconcile.adopted-from";

  /** The label filter that selects managed objects. */
  public static final String MANAGED_FILTER = MANAGED + "=true";

  /** Label filters (all must match) selecting the objects one state directory manages. */
  public static List<String> ownedBy(String owner) {
    return List.of(MANAGED_FILTER, OWNER + "=" + owner);
  }

  /** Whether labels mark an object as managed by this owner. */
  public static boolean isOwnedBy(Map<String, String> labels, String owner) {
    return labels != null && "true".equals(labels.get(MANAGED)) && owner.equals(labels.get(OWNER));
  }

  /** Whether an object of this owner was made for this host (objects from before the label count as any host's). */
  public static boolean isForHost(Map<String, String> labels, String host) {
    return labels == null || labels.getOrDefault(HOST, host).equals(host);
  }

  /** Whose an object not managed by this state directory is, in words for a conflict. */
  public static String describeOwner(Map<String, String> labels) {
    if (labels == null || !"true".equals(labels.get(MANAGED))) {
      return "not made by reconcile";
    }
    return "managed by another state directory, owner " + labels.getOrDefault(OWNER, "unknown");
  }

  private Labels() {}
}
