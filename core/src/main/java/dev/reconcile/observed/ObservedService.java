package dev.reconcile.observed;

import dev.reconcile.desired.ContainerFingerprint;
import dev.reconcile.resource.ResourceId;
import java.util.List;
import java.util.Optional;

/**
 * A swarm service the tool created, as the engine reports it now.
 *
 * @param specHash the hash recorded in its labels when it was last applied
 * @param recorded the container fingerprint and replicas recorded with it, for the plan's reasons
 * @param replicas the replicas its spec asks for now (a {@code docker service scale} by hand shows here)
 * @param running tasks running now
 * @param taskAddresses where its running, healthy tasks take traffic ({@code NODE-ADDRESS:PORT}, each
 *     published in host mode on its node), sorted
 * @param updateState the engine's last update: {@code completed}, {@code rollback_completed}, ...; empty
 *     when never updated
 */
public record ObservedService(
    ResourceId id,
    String host,
    String serviceId,
    String name,
    String specHash,
    Optional<ContainerFingerprint> recorded,
    int recordedReplicas,
    int replicas,
    int running,
    String image,
    List<String> taskAddresses,
    Optional<String> updateState)
    implements ObservedResource {

  public ObservedService {
    taskAddresses = List.copyOf(taskAddresses);
  }

  @Override
  public String digestLine() {
    return String.join(
        " ",
        id.toString(),
        host,
        serviceId,
        specHash,
        Integer.toString(replicas),
        image,
        taskAddresses.toString());
  }
}
