package dev.reconcile.desired;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.util.List;

/**
 * A container of a project on a swarm host: a swarm service of {@link #replicas} tasks, updated by
 * the engine itself (start-first). It is declared as a container is ({@link #container}: image,
 * env, volumes, checks); its spec hash covers that and the replicas.
 */
public record DesiredService(
    ResourceId id, DesiredContainer container, int replicas, String specHash)
    implements DesiredResource {

  public static DesiredService of(DesiredContainer container) {
    var id = ResourceId.service(
        container.id().project(),
        container.id().environment(),
        container.id().name().orElseThrow());
    return new DesiredService(
        id, container, container.spec().replicas(), SpecHash.of(fingerprint(container)));
  }

  /** What the hash covers: the container's fingerprint, with the replicas. */
  public static ObjectNode fingerprint(DesiredContainer container) {
    return container.fingerprint().toJson().put("replicas", container.spec().replicas());
  }

  public String host() {
    return container.host();
  }

  @Override
  public List<ResourceId> dependsOn() {
    return container.dependsOn();
  }
}
