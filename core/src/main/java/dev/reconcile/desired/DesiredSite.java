package dev.reconcile.desired;

import dev.reconcile.resource.ResourceId;
import java.util.List;

/**
 * The nginx server blocks of one project environment: one per domain, routing each path to its
 * container. Depends on those containers, which must be running before traffic is sent to them.
 */
public record DesiredSite(
    ResourceId id, SiteFingerprint fingerprint, String specHash, List<ResourceId> dependsOn)
    implements DesiredResource {

  public DesiredSite {
    dependsOn = List.copyOf(dependsOn);
  }
}
