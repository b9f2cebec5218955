package dev.reconcile.observed;

import dev.reconcile.resource.ResourceId;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The containers from before reconcile that an environment takes over, as found: running ones
 * are still to be stopped; stopped ones are kept (so they can be started again).
 */
public record ObservedAdoption(ResourceId id, String host, List<Legacy> containers)
    implements ObservedResource {

  /**
   * One container from before reconcile.
   *
   * @param volumes the names of the Docker volumes it mounts
   * @param service its compose service, if compose made it
   */
  public record Legacy(
      String name, String containerId, boolean running, List<String> volumes, String service) {
    public Legacy {
      volumes = List.copyOf(volumes);
    }
  }

  public ObservedAdoption {
    containers = List.copyOf(containers);
  }

  public List<Legacy> running() {
    return containers.stream().filter(Legacy::running).toList();
  }

  /** Not recorded anywhere: what is taken over is seen by what runs, not by a label of ours. */
  @Override
  public String specHash() {
    return "";
  }

  @Override
  public String digestLine() {
    return id + " " + host + " "
        + containers.stream()
            .map(c -> c.name() + "=" + c.containerId() + (c.running() ? ":running" : ":stopped"))
            .collect(Collectors.joining(","));
  }
}
