package dev.reconcile.provider;

import dev.reconcile.host.Host;
import dev.reconcile.model.HostSpec;

/**
 * The hosts the engine opened, handed to providers that reach their resources through one (the
 * Docker engine of a server over SSH): each host is connected once and shared by observation,
 * every rollout step and the probes.
 */
@FunctionalInterface
public interface HostResolver {
  Host host(HostSpec spec) throws ProviderException;
}
