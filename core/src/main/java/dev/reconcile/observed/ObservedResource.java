package dev.reconcile.observed;

import dev.reconcile.resource.ResourceId;

/** A managed resource as found on a host. */
public sealed interface ObservedResource
    permits ObservedAdoption,
        ObservedCertificate,
        ObservedContainer,
        ObservedNetwork,
        ObservedService,
        ObservedSite,
        ObservedVolume {
  ResourceId id();

  /** The spec hash recorded when the tool created it (label or header line). */
  String specHash();

  /** One line that changes whenever anything the plan depends on changes. */
  String digestLine();
}
