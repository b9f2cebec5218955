package dev.reconcile.observed;

import dev.reconcile.desired.ContainerFingerprint;
import dev.reconcile.resource.ResourceId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One Docker container the tool created (one slot of a container resource).
 *
 * @param image the image reference it was created from, as Docker reports it
 * @param imageId the id of the image it actually runs
 * @param state Docker's state word: running, exited, created, restarting, paused, dead
 * @param health healthy, unhealthy or starting when the image or spec has a health check
 * @param hostPort the loopback port its HTTP port is published on, if any
 * @param recorded the fingerprint stored in its label when it was created
 * @param networks the engine networks it is on, sorted (none listed while it is not running)
 */
public record ObservedContainer(
    ResourceId id,
    String host,
    String containerId,
    String name,
    String slot,
    String image,
    String imageId,
    String state,
    Optional<String> health,
    OptionalInt hostPort,
    String specHash,
    Optional<ContainerFingerprint> recorded,
    List<String> networks)
    implements ObservedResource {

  public ObservedContainer {
    networks = networks.stream().sorted().toList();
  }

  public boolean isRunning() {
    return state.equals("running");
  }

  @Override
  public String digestLine() {
    return String.join(
        " ",
        id.toString(),
        containerId,
        slot,
        specHash,
        imageId,
        state,
        hostPort.isPresent() ? String.valueOf(hostPort.getAsInt()) : "-");
  }
}
