package dev.reconcile.execute;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Variables;
import dev.reconcile.engine.FrontDoors;
import dev.reconcile.engine.Hosts;
import dev.reconcile.host.Host;
import dev.reconcile.host.StateHome;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.model.ProjectSpec;
import dev.reconcile.observed.ObservedAdoption;
import dev.reconcile.observed.ObservedCertificate;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedNetwork;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.observed.ObservedVolume;
import dev.reconcile.plan.Change;
import dev.reconcile.provider.ApplyRequest;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.ServiceRuntime;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.util.Checks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything a rollout reads: the plan's inputs, the providers (which apply changes on their own)
 * and their rollout steps, timings.
 *
 * @param door this machine's front door, where the engines of this machine serve
 * @param doors the front door of every host (a server over SSH has its own)
 * @param frontDoor held while one environment judges, installs or removes its site and reloads
 *     this machine's nginx: environments roll out in parallel (and other applies of the same
 *     state directory run beside this one), but nginx changes one site at a time; each server's
 *     front door has a lock of its own, {@link #lockOf}
 * @param home where the fleet's state lives (the restore journal an apply must respect)
 * @param hosts the connections planning opened, reused by every step and probe
 * @param cancellation set by SIGTERM or SIGINT: rollouts stop and roll back
 */
record RolloutContext(
    PlatformSpec spec,
    DesiredState desired,
    ObservedState observed,
    List<Provider> providers,
    ContainerRuntime runtime,
    SiteControl sites,
    FrontDoor door,
    FrontDoors doors,
    Hosts hosts,
    Path specDir,
    String owner,
    StateHome home,
    Variables variables,
    ApplySettings settings,
    RetryPolicy retry,
    FileLock frontDoor,
    Cancellation cancellation,
    ExecutionListener listener) {

  /** The provider that runs swarm services, if one is installed. */
  Optional<ServiceRuntime> services() {
    return Capabilities.find(providers, ServiceRuntime.class);
  }

  /** The host a {@code platform.hosts} entry names, connected once for the whole apply. */
  Host machine(HostSpec spec) throws ProviderException {
    return hosts.get(spec, specDir);
  }

  /** The front door that serves a host's projects. */
  FrontDoor doorOf(HostSpec host) throws ProviderException {
    return host instanceof HostSpec.Ssh ? doors.of(host) : door;
  }

  /**
   * The lock of the front door that serves a host's projects: a server's is held on the server,
   * so that applies from several machines change its nginx one site at a time.
   */
  FileLock lockOf(HostSpec host) throws ProviderException {
    return host instanceof HostSpec.Ssh
        ? FileLock.onServer(
            host.name(),
            () -> {
              try {
                return machine(host);
              } catch (ProviderException e) {
                throw new IOException(e.getMessage(), e);
              }
            },
            doorOf(host).stateDir().resolve("locks/front-door.lock"))
        : frontDoor;
  }

  /** Applies one change through the provider that owns its kind on the target. */
  Outcome apply(ObserveTarget target, Change change) throws ProviderException {
    var provider = providers.stream()
        .filter(p -> p.serves(target) && p.kinds().contains(change.id().kind()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no installed provider applies "
            + change.id().kind().word() + "s on " + target.describe()));
    return provider.apply(
        new ApplyRequest(target, change, change.declared(), change.found(), owner));
  }

  /** The Docker host a {@code platform.hosts} entry names, as a target of changes. */
  ObserveTarget.DockerHost dockerTarget(HostSpec host) {
    return new ObserveTarget.DockerHost(
        host, Optional.empty(), owner, spec().platform().networks());
  }

  /** The host a resource's project runs on. */
  HostSpec hostOf(ResourceId id) {
    var project = spec.projects().get(id.project());
    var name = project != null
        ? project.host()
        : foundOn(id.environmentKey()).orElse(HostSpec.Docker.DEFAULT_ENDPOINT);
    return spec.platform()
        .hosts()
        .getOrDefault(name, spec.platform().hosts().values().iterator().next());
  }

  /**
   * Where the remains of an environment no longer declared were found: the host of its
   * containers, services, networks or volumes (its site and certificate are the front door's).
   */
  Optional<String> foundOn(String environment) {
    return observed
        .all(ObservedResource.class)
        .filter(r -> r.id().environmentKey().equals(environment))
        .map(RolloutContext::hostFound)
        .flatMap(Optional::stream)
        .findFirst();
  }

  /** The host a resource was found on; sites and certificates are the front door's. */
  static Optional<String> hostFound(ObservedResource resource) {
    return switch (resource) {
      case ObservedContainer c -> Optional.of(c.host());
      case ObservedService s -> Optional.of(s.host());
      case ObservedNetwork n -> Optional.of(n.host());
      case ObservedVolume v -> Optional.of(v.host());
      case ObservedAdoption a -> Optional.of(a.host());
      case ObservedSite s -> Optional.empty();
      case ObservedCertificate c -> Optional.empty();
    };
  }

  /** The project a resource belongs to: one of the spec's, as every planned resource's is. */
  ProjectSpec projectOf(ResourceId id) {
    return Checks.present(spec.projects().get(id.project()), "project %s", id.project());
  }

  /** The first domain of a resource's environment: the Host header of its checks. */
  String domainOf(ResourceId id) {
    return projectOf(id).domainsOf(id.environment()).getFirst();
  }

  /** Where this machine reaches an address of a host (through a forward, for a server). */
  static InetSocketAddress reach(Host host, String address, int port) throws ProviderException {
    try {
      return host.reach(address, port);
    } catch (IOException e) {
      throw new ProviderException.Transient(
          "host " + host.name(),
          "cannot reach " + address + ":" + port + " there: " + e.getMessage(),
          "check the connection to the host",
          e);
    }
  }

  /** A site rendered again as it was gets the snippet declared now: only its hash was recorded. */
  Optional<DesiredSite.Snippet> snippetOf(ResourceId site) {
    return desired.get(site).map(DesiredSite.class::cast).flatMap(DesiredSite::snippet);
  }
}
