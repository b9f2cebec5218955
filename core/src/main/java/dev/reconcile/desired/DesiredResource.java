package dev.reconcile.desired;

import dev.reconcile.resource.ResourceId;
import java.util.List;

/**
 * A resource as {@code projects.yml} declares it.
 *
 * <p>Invariant: {@link #specHash()} is {@code SpecHash.of(fingerprint JSON)}; equal hashes mean
 * nothing that matters differs. {@link #dependsOn()} names resources that must exist first.
 */
public sealed interface DesiredResource
    permits DesiredAdoption,
        DesiredCertificate,
        DesiredContainer,
        DesiredNetwork,
        DesiredService,
        DesiredSite,
        DesiredVolume {
  ResourceId id();

  String specHash();

  List<ResourceId> dependsOn();
}
