package dev.reconcile.engine;

import dev.reconcile.desired.DesiredAdoption;
import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredNetwork;
import dev.reconcile.desired.DesiredResource;
import dev.reconcile.desired.DesiredService;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.DesiredVolume;
import dev.reconcile.desired.Selection;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.model.Platform;
import dev.reconcile.observed.Conflict;
import dev.reconcile.observed.ImageTag;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.ObservedBatch;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Observes every target (each Docker host, the nginx front door) in parallel and merges. */
public final class ObservedStateCollector {
  private final List<Provider> providers;
  private final Hosts hosts;

  public ObservedStateCollector(List<Provider> providers, Hosts hosts) {
    this.providers = List.copyOf(providers);
    this.hosts = hosts;
    this.providers.forEach(p -> p.useHosts(hosts));
  }

  /** The providers on the class path, over the hosts the class path can connect to. */
  public static ObservedStateCollector discover() {
    return new ObservedStateCollector(providersFound(), Hosts.discover());
  }

  /**
   * The providers on the class path, plugins first: a capability a plugin declares (a front door
   * of its own, say) is found before the built-in one of the same type, which it replaces.
   */
  public static List<Provider> providersFound() {
    var found = new ArrayList<Provider>();
    ServiceLoader.load(Provider.class).forEach(found::add);
    found.sort(Comparator.comparing(ObservedStateCollector::builtIn));
    return found;
  }

  /**
   * Lets each provider on the class path build ahead what its first observation will need ({@link
   * Provider#prepare}): for a caller that starts it beside its own start-up work.
   */
  public static void prepareProviders() {
    for (var provider : providersFound()) {
      try {
        provider.prepare();
      } catch (RuntimeException e) {
        // A plugin's fault here costs only its head start; its observation reports it, if any.
      }
    }
  }

  /** Whether a provider is one of the tool's own, not a plugin's. */
  public static boolean builtIn(Provider provider) {
    return provider.getClass().getName().startsWith("dev.reconcile.providers.");
  }

  /** The hosts observation opened; the executor acts through the same connections. */
  public Hosts hosts() {
    return hosts;
  }

  public List<Provider> providers() {
    return providers;
  }

  /**
   * What observation found, and the servers it could not reach (by name, with why): their
   * projects cannot be planned this time, and the others are.
   */
  public record Observed(ObservedState state, Map<String, String> unreachable) {
    public Observed {
      unreachable = Map.copyOf(new TreeMap<>(unreachable));
    }
  }

  /**
   * Observes the front doors and the hosts of a desired state: every host when all projects are
   * selected (so that removed projects are found) or a selected name declares nothing (a removed
   * one), else the hosts the selected projects run on.
   * Servers over SSH are connected and observed in parallel; one that cannot be reached or
   * observed is reported in {@link Observed#unreachable()} and the others are observed all the
   * same. A fault on this machine (its engine, its nginx) fails the whole observation.
   */
  public Observed observe(Platform platform, Layout layout, DesiredState desired)
      throws ProviderException {
    var used = Stream.concat(
            desired.all(DesiredContainer.class).map(DesiredContainer::host),
            desired.all(DesiredService.class).map(DesiredService::host))
        .collect(Collectors.toSet());
    // A name selected that declares nothing is of a project or environment taken out of the
    // spec: where its remains are is not known, so every host is looked at, as for all.
    var declared = desired.all(DesiredResource.class).map(DesiredResource::id).toList();
    var selection = desired.selection();
    var removedSelected = selection.projects().stream()
            .anyMatch(p -> declared.stream().noneMatch(id -> id.project().equals(p)))
        || selection.environments().stream()
            .anyMatch(e -> declared.stream().noneMatch(id -> id.environment().equals(e)));
    var chosen = platform.hosts().values().stream()
        .filter(h -> selection.equals(Selection.ALL) || removedSelected || used.contains(h.name()))
        .toList();
    var unreachable = new ConcurrentHashMap<String, String>();
    connectServers(chosen, unreachable);
    var targets = new ArrayList<ObserveTarget>();
    var doors = new FrontDoors(platform, layout, hosts);
    targets.add(doors.local());
    for (var h : chosen) {
      if (unreachable.containsKey(h.name())) {
        continue;
      }
      var door = switch (h) {
        case HostSpec.Ssh s -> Optional.of(s.nginx().orElse(platform.nginx()));
        case HostSpec.Docker d ->
          isLocal(d) ? Optional.of(platform.nginx()) : Optional.<NginxSettings>empty();
      };
      targets.add(new ObserveTarget.DockerHost(
          h,
          door.flatMap(ObservedStateCollector::managedPort),
          layout.owner(),
          platform.networks()));
      if (h instanceof HostSpec.Ssh) {
        targets.add(doors.of(h));
      }
    }
    var state = collect(targets, desired, unreachable);
    return new Observed(state, unreachable);
  }

  /**
   * Whether observing for either desired state asks the targets the same things, so one's
   * observation serves the other: the same selection and resources, each container and service on
   * the same host with the same image reference (the tags observation looks up), each volume and
   * network on the same host. What providers read of a desired state is no more than that.
   */
  public static boolean observesAlike(DesiredState a, DesiredState b) {
    if (!a.selection().equals(b.selection())
        || !a.resources().keySet().equals(b.resources().keySet())) {
      return false;
    }
    return a.resources().entrySet().stream()
        .allMatch(e -> observedAs(e.getValue()).equals(observedAs(b.resources().get(e.getKey()))));
  }

  private static List<String> observedAs(@Nullable DesiredResource resource) {
    return switch (resource) {
      case null -> List.of();
      case DesiredContainer c -> List.of(c.host(), c.fingerprint().image());
      case DesiredService s -> List.of(s.host(), s.container().fingerprint().image());
      case DesiredVolume v -> List.of(v.host());
      case DesiredNetwork n -> List.of(n.host(), n.name());
      case DesiredAdoption a -> List.of(a.host(), a.specHash());
      default -> List.of(resource.id().toString());
    };
  }

  /** Servers connected at once: enough for a small fleet, few enough for a small machine. */
  public static final int PARALLEL_CONNECTS = 8;

  /** Connects the servers over SSH at once: a dead one costs its timeout, not the sum of all. */
  private void connectServers(List<HostSpec> chosen, Map<String, String> unreachable) {
    var gate = new Semaphore(PARALLEL_CONNECTS);
    try (var pool =
        Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
      for (var h : chosen) {
        if (h instanceof HostSpec.Ssh) {
          pool.submit(() -> {
            gate.acquireUninterruptibly();
            try {
              hosts.host(h);
            } catch (ProviderException e) {
              unreachable.put(h.name(), e.getMessage());
            } finally {
              gate.release();
            }
          });
        }
      }
    }
  }

  /** The name of the server whose fault this target's is, if it is a server's. */
  private static Optional<String> server(ObserveTarget target) {
    return switch (target) {
      case ObserveTarget.DockerHost d ->
        d.host() instanceof HostSpec.Ssh ? Optional.of(d.host().name()) : Optional.empty();
      case FrontDoor door ->
        door.host().name().equals(Hosts.THIS_MACHINE)
            ? Optional.empty()
            : Optional.of(door.host().name());
    };
  }

  private static Optional<Integer> managedPort(NginxSettings nginx) {
    return nginx instanceof NginxSettings.Managed m
        ? Optional.of(m.listenPort())
        : Optional.empty();
  }

  /** Observes all targets; the first fault (in target order) is thrown. */
  public ObservedState collect(List<ObserveTarget> targets, DesiredState desired)
      throws ProviderException {
    return collect(targets, desired, null);
  }

  /**
   * Observes all targets. A fault of a server's target is put in {@code unreachable} when that is
   * given (the server's resources are left out); any other fault, the first in target order, is
   * thrown.
   */
  private ObservedState collect(
      List<ObserveTarget> targets, DesiredState desired, @Nullable Map<String, String> unreachable)
      throws ProviderException {
    for (var target : unserved(targets)) {
      throw new ProviderException.Terminal(
          target.describe(),
          "no installed provider can observe " + target.describe(),
          "plan the projects of other hosts with --project, or run reconcile on that host",
          null);
    }
    // Platform threads, not virtual ones: a virtual thread's socket I/O starts the JDK's poller
    // threads, which sit in epoll_wait, and the JVM then waits 300 ms at exit for them.
    try (var pool =
        Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
      var sites = Capabilities.find(providers, SiteControl.class);
      var futures = new ArrayList<Future<ObservedBatch>>();
      var of = new ArrayList<ObserveTarget>();
      for (var target : targets) {
        for (var provider : providers) {
          if (provider.serves(target)) {
            of.add(target);
            futures.add(pool.submit(() -> {
              var batch = provider.observe(new ObserveRequest(target, desired));
              // Each front door is asked what it serves of the sites found in it.
              return target instanceof FrontDoor door && sites.isPresent()
                  ? served(door, sites.get(), batch, desired)
                  : batch;
            }));
          }
        }
      }
      var found = new ArrayList<ObservedResource>();
      var conflicts = new ArrayList<Conflict>();
      var tags = new ArrayList<ImageTag>();
      var batches = new ArrayList<ObservedBatch>();
      for (int i = 0; i < futures.size(); i++) {
        var server = server(of.get(i));
        try {
          batches.add(await(futures.get(i)));
        } catch (ProviderException e) {
          if (unreachable == null || server.isEmpty()) {
            throw e;
          }
          unreachable.putIfAbsent(server.get(), e.getMessage());
          batches.add(null);
        }
      }
      for (int i = 0; i < batches.size(); i++) {
        var batch = batches.get(i);
        var server = server(of.get(i));
        if (batch == null
            || (unreachable != null
                && server.isPresent()
                && unreachable.containsKey(server.get()))) {
          continue; // half of a server seen is not seen: its front door and engine go together
        }
        found.addAll(batch.resources());
        conflicts.addAll(batch.conflicts());
        tags.addAll(batch.tags());
      }
      return ObservedState.of(found, conflicts, tags);
    }
  }

  /**
   * The sites of a batch with what nginx serves for each, asked only for the selected ones: the
   * diff leaves the others out, and a controller healing one environment of a hundred asks one.
   */
  private static ObservedBatch served(
      FrontDoor door, SiteControl sites, ObservedBatch batch, DesiredState desired) {
    var served = ServedSites.ask(
        door,
        sites,
        batch.resources().stream()
            .filter(ObservedSite.class::isInstance)
            .map(ObservedSite.class::cast)
            .filter(site -> desired.selection().includes(site.id()))
            .map(site -> site.withRendering(rendersAs(door, sites, site, desired)))
            .toList());
    var resources = batch.resources().stream()
        .map(r -> r instanceof ObservedSite site
            ? (ObservedResource) served.getOrDefault(site.id(), site)
            : r)
        .toList();
    return new ObservedBatch(resources, batch.conflicts(), batch.tags());
  }

  /**
   * The content hash of the file the front door would write for a site today, rendered from the
   * declaration the file was made from and the upstreams it routes to: another than the file's
   * means the providers or plugins that render sites changed since. Asked only when the declaration is unchanged (else
   * the site is rewritten anyway).
   */
  private static Optional<String> rendersAs(
      FrontDoor door, SiteControl sites, ObservedSite site, DesiredState desired) {
    var declared = desired
        .get(site.id())
        .filter(DesiredSite.class::isInstance)
        .map(DesiredSite.class::cast)
        .filter(d -> d.specHash().equals(site.specHash()));
    if (declared.isEmpty() || site.editedOutside()) {
      return Optional.empty();
    }
    try {
      return Optional.of(sites.contentHash(sites.render(door, declared.get(), site.upstreams())));
    } catch (RuntimeException e) {
      // Not judged: an apply renders it again when something else changes.
      return Optional.empty();
    }
  }

  /** Targets no provider serves, e.g. SSH hosts before an SSH provider is installed. */
  public List<ObserveTarget> unserved(List<ObserveTarget> targets) {
    return targets.stream()
        .filter(t -> providers.stream().noneMatch(p -> p.serves(t)))
        .toList();
  }

  private static ObservedBatch await(Future<ObservedBatch> future) throws ProviderException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ProviderException p) {
        throw p;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while observing", e);
    }
  }

  private static boolean isLocal(HostSpec.Docker host) {
    return host.endpoint().startsWith("unix://");
  }
}
