package dev.reconcile.provider;

import dev.reconcile.resource.ResourceKind;
import java.util.List;
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

  /**
   * What else it can do, each capability an object of its own (none by default): the steps of a
   * zero-downtime rollout span providers, and the engine asks for them by capability, never by
   * provider.
   */
  default List<Capability> capabilities() {
    return List.of();
  }

  /**
   * Hands the provider the engine's hosts, before any other call. Providers that reach their
   * resources directly (a local Docker socket, files of this machine) ignore it.
   */
  default void useHosts(HostResolver hosts) {}

  /**
   * Builds ahead what its first observation will need of the process (readers of a remote API's
   * answers, say): CPU work a run would otherwise do on its way to the plan. Called at most once,
   * on a thread of its own, possibly while the run does anything else; touches nothing outside
   * the process. Nothing by default.
   */
  default void prepare() {}

  /** Whether this provider observes the given target (a Docker host, the nginx front door). */
  boolean serves(ObserveTarget target);

  /**
   * Everything managed of its kinds on one target, plus conflicts with desired resources. Reads
   * only; never changes anything.
   */
  ObservedBatch observe(ObserveRequest request) throws ProviderException;

  /**
   * Applies one change of a kind it owns, idempotently: a change already in effect gives {@code
   * Unchanged} or {@code AlreadyAbsent}, so a retry or a second apply is safe. The changes that
   * move traffic (a new container slot, a site switch) are steps of a zero-downtime rollout that
   * spans two providers; the engine runs those through the capabilities {@link ContainerRuntime}
   * and {@link SiteControl}, and a provider refuses them here with {@link ApplyRequest#notApplied}, as it
   * refuses kinds it does not own, before changing anything.
   *
   * @throws IllegalArgumentException for a change it does not apply on its own
   */
  Outcome apply(ApplyRequest request) throws ProviderException;
}
