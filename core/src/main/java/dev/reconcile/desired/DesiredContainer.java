package dev.reconcile.desired;

import dev.reconcile.model.ContainerSpec;
import dev.reconcile.resource.ResourceId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A container as declared for one environment, overrides merged.
 *
 * @param spec the merged container spec, env still as templates (resolved only by apply)
 * @param unresolvedEnv env names whose {@code ${VAR}} has no value where the plan runs; their
 *     fingerprint entry is a placeholder, so the plan cannot tell whether they changed
 * @param strategyDeclared whether {@code update:} was written, which counts as an explicit choice
 * @param networking its names on its project environment's network; empty on a swarm host
 */
public record DesiredContainer(
    ResourceId id,
    String host,
    ContainerSpec spec,
    ContainerFingerprint fingerprint,
    String specHash,
    Set<String> unresolvedEnv,
    boolean strategyDeclared,
    List<ResourceId> dependsOn,
    Optional<Networking> networking)
    implements DesiredResource {

  public DesiredContainer {
    unresolvedEnv = Set.copyOf(unresolvedEnv);
    dependsOn = List.copyOf(dependsOn);
  }

  public boolean isRouted() {
    return spec.isRouted();
  }
}
