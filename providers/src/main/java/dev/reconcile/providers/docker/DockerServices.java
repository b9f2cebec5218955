package dev.reconcile.providers.docker;

import dev.reconcile.desired.DesiredService;
import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.ServiceRuntime;
import java.util.Map;

/** The Docker provider's swarm services: the engine's own rollout, started, followed, put back. */
final class DockerServices implements ServiceRuntime {
  private final DockerHosts hosts;

  DockerServices(DockerHosts hosts) {
    this.hosts = hosts;
  }

  @Override
  public Rolled start(HostSpec host, DesiredService service, Map<String, String> env, String owner)
      throws ProviderException {
    return SwarmServices.start(hosts.get(host), service, env, owner);
  }

  @Override
  public Progress progress(HostSpec host, Rolled rolled, int replicas) throws ProviderException {
    return SwarmServices.progress(hosts.get(host), rolled, replicas);
  }

  @Override
  public Outcome undo(HostSpec host, Rolled rolled) throws ProviderException {
    return SwarmServices.undo(hosts.get(host), rolled);
  }
}
