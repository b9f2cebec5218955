package dev.reconcile.provider;

import dev.reconcile.resource.ResourceKind;
import java.util.Set;

/**
 * Owns some resource kinds. Instances are created by {@link java.util.ServiceLoader} (public
 * no-argument constructor) and may be used from several threads at once.
 */
public interface Provider {
  /** A short name for messages, e.g. {@code docker}. */
  String name();

  /** The kinds this provider observes and changes. */
  Set<ResourceKind> kinds();

  /** Whether this provider observes the given target (a Docker host, the nginx front door). */
  boolean serves(ObserveTarget target);

  /**
   * Everything managed of its kinds on one target, plus conflicts with desired resources. Reads
   * only; never changes anything.
   */
  ObservedBatch observe(ObserveRequest request) throws ProviderException;
}
