package dev.reconcile.desired;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reconcile.model.Adoption;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What runs a project environment from before reconcile (a compose project, containers made by
 * hand, a system nginx's site file) and is taken over by its first apply: stopped and kept once
 * reconcile serves. One per environment.
 *
 * @param writers a Docker volume taken over -> the containers of the environment that mount the
 *     volume made on it: a container from before writing that volume stops just before the first
 *     of them starts (one writer of a database's folder at a time)
 */
public record DesiredAdoption(
    ResourceId id,
    String host,
    String specHash,
    Optional<String> compose,
    List<String> containers,
    Optional<String> site,
    Map<String, List<String>> writers)
    implements DesiredResource {

  public DesiredAdoption {
    containers = List.copyOf(containers);
    writers = new TreeMap<>(writers);
  }

  public static DesiredAdoption of(
      ResourceId id, String host, Adoption adopt, Map<String, List<String>> writers) {
    var fingerprint = JsonNodeFactory.instance.objectNode();
    adopt.compose().ifPresent(c -> fingerprint.put("compose", c));
    adopt.containers().forEach(fingerprint.putArray("containers")::add);
    adopt.site().ifPresent(s -> fingerprint.put("site", s));
    return new DesiredAdoption(
        id,
        host,
        SpecHash.of(fingerprint),
        adopt.compose(),
        adopt.containers(),
        adopt.site(),
        writers);
  }

  /** What it takes over, in words: {@code compose project shop}, {@code container legacy-web}. */
  public String describe() {
    var parts = new java.util.ArrayList<String>();
    compose.ifPresent(c -> parts.add("compose project " + c));
    containers.forEach(c -> parts.add("container " + c));
    return String.join(", ", parts);
  }

  @Override
  public List<ResourceId> dependsOn() {
    return List.of();
  }
}
