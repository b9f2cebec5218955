package dev.reconcile.providers.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredService;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.DesiredVolume;
import dev.reconcile.observed.Conflict;
import dev.reconcile.observed.ImageTag;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.observed.ObservedVolume;
import dev.reconcile.provider.ApplyRequest;
import dev.reconcile.provider.Capability;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.HostResolver;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.ObservedBatch;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.ServiceRuntime;
import dev.reconcile.provider.VolumeArchives;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.ResourceKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Containers and volumes on Docker hosts reached by socket or TCP. Observing a host costs a fixed
 * number of list calls (managed containers, managed volumes, all containers for conflicts) plus
 * one image lookup per distinct declared image, however many projects it runs.
 */
public final class DockerProvider implements Provider, AutoCloseable {
  private final DockerHosts hosts;
  private final DockerContainers containers;
  private final DockerServices services;
  private final DockerVolumes volumes;

  /** For {@link java.util.ServiceLoader}. */
  public DockerProvider() {
    this(UnaryOperator.identity());
  }

  /** @param transport wraps each host's HTTP client (tests count calls with it) */
  public DockerProvider(UnaryOperator<DockerHttpClient> transport) {
    this.hosts = new DockerHosts(transport);
    this.containers = new DockerContainers(hosts);
    this.services = new DockerServices(hosts);
    this.volumes = new DockerVolumes(hosts);
  }

  @Override
  public void prepare() {
    DockerJson.prepare();
  }

  @Override
  public String name() {
    return "docker";
  }

  @Override
  public Set<ResourceKind> kinds() {
    return Set.of(
        ResourceKind.CONTAINER,
        ResourceKind.VOLUME,
        ResourceKind.SERVICE,
        ResourceKind.NETWORK,
        ResourceKind.ADOPTION);
  }

  /** Container slots, swarm services and volume archives, each an object of its own. */
  @Override
  public List<Capability> capabilities() {
    return List.of(containers, services, volumes);
  }

  @Override
  public boolean serves(ObserveTarget target) {
    return target instanceof ObserveTarget.DockerHost d && hosts.reaches(d.host());
  }

  @Override
  public ObservedBatch observe(ObserveRequest request) throws ProviderException {
    var target = (ObserveTarget.DockerHost) request.target();
    var host = hosts.get(target.host());
    var owner = target.owner();
    var desired = request.desired();
    // The engine is asked all at once: each question waits on its own round trip (and, in a
    // short run, on its first answer's parsing set up), so asked one after another they added up.
    // Merged below in a fixed order, so the batch is the same whichever answer came first.
    try (var asking = new AtOnce(host)) {
      var containers = asking.ask(() -> ContainerObserver.observe(host, owner));
      var services = asking.ask(() ->
          target.host().swarm() ? SwarmServices.observe(host, owner) : List.<ObservedService>of());
      var others = new OthersContainers(host, owner);
      var inTheWay =
          asking.ask(() -> ConflictFinder.find(host, desired, target.frontDoorPort(), others));
      var volumes = asking.ask(() -> volumes(host, owner, desired));
      var adopted = asking.ask(() -> Adopted.observe(host, desired, others));
      var networks = asking.ask(() -> {
        var part = new Part(new ArrayList<>(), new ArrayList<>());
        if (!target.host().swarm()) {
          Networks.observe(host, owner, desired, part.found(), part.conflicts());
        }
        return part;
      });
      var tags = asking.ask(() -> tags(host, request));

      var found = new ArrayList<ObservedResource>(asking.answer(containers));
      found.addAll(asking.answer(services));
      var conflicts = new ArrayList<>(asking.answer(inTheWay));
      var volumePart = asking.answer(volumes);
      found.addAll(volumePart.found());
      conflicts.addAll(volumePart.conflicts());
      found.addAll(asking.answer(adopted));
      var networkPart = asking.answer(networks);
      found.addAll(networkPart.found());
      conflicts.addAll(networkPart.conflicts());
      return new ObservedBatch(found, conflicts, asking.answer(tags));
    }
  }

  /** What one of the questions above found: resources, and what stands in their way. */
  private record Part(List<ObservedResource> found, List<Conflict> conflicts) {}

  /**
   * Volumes of this state directory are observed; any other volume with a name a declared
   * volume needs is a conflict: it may hold someone's data. One list call for both.
   */
  private static Part volumes(DockerHost host, String owner, DesiredState desired)
      throws ProviderException {
    var found = new ArrayList<ObservedResource>();
    var conflicts = new ArrayList<Conflict>();
    var part = new Part(found, conflicts);
    var response = DockerErrors.call(
        host, "listing volumes", () -> host.client().listVolumesCmd().exec());
    if (response.getVolumes() == null) {
      return part;
    }
    var needed = new HashMap<String, ResourceId>();
    desired
        .all(DesiredVolume.class)
        .filter(v -> v.host().equals(host.name()))
        .forEach(v -> needed.put(Names.volume(v.id()), v.id()));
    for (var volume : response.getVolumes()) {
      var labels = volume.getLabels() == null ? Map.<String, String>of() : volume.getLabels();
      if (Labels.isOwnedBy(labels, owner) && !Labels.isForHost(labels, host.name())) {
        continue; // another platform.hosts entry's, on the same engine
      }
      if (!Labels.isOwnedBy(labels, owner)) {
        Optional.ofNullable(needed.get(volume.getName()))
            .ifPresent(id -> conflicts.add(new Conflict(
                host.name(),
                "volume " + volume.getName() + " (" + Labels.describeOwner(labels) + ")",
                "the name " + volume.getName(),
                id)));
        continue;
      }
      try {
        var id = ResourceId.volume(
            labels.getOrDefault(Labels.PROJECT, ""),
            labels.getOrDefault(Labels.ENVIRONMENT, ""),
            labels.getOrDefault(Labels.VOLUME, ""));
        found.add(new ObservedVolume(
            id,
            host.name(),
            volume.getName(),
            labels.getOrDefault(Labels.SPEC_HASH, ""),
            adoptedFrom(labels, volume.getOptions())));
      } catch (IllegalArgumentException e) {
        // Labels that do not name a resource: not ours to judge, so not reported.
      }
    }
    return part;
  }

  /**
   * The Docker volume a volume was made on: its label, or for one made before the label, the
   * folder it binds ({@code .../volumes/NAME/_data}, where the engine keeps a local volume).
   */
  private static Optional<String> adoptedFrom(
      Map<String, String> labels, @Nullable Map<String, String> options) {
    if (labels.containsKey(Labels.ADOPTED_FROM)) {
      return Optional.of(labels.get(Labels.ADOPTED_FROM));
    }
    var device = options == null ? null : options.get("device");
    var matcher = device == null ? null : LOCAL_VOLUME.matcher(device);
    return matcher != null && matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  private static final Pattern LOCAL_VOLUME = Pattern.compile(".*/volumes/([^/]+)/_data/?");

  /** Where each declared image reference points on the host; absent images are simply left out. */
  private static List<ImageTag> tags(DockerHost host, ObserveRequest request)
      throws ProviderException {
    var references = Stream.concat(
            request.desired().all(DesiredContainer.class),
            request.desired().all(DesiredService.class).map(s -> s.container()))
        .filter(c -> c.host().equals(host.name()))
        .map(c -> c.fingerprint().image())
        .distinct()
        .sorted()
        .toList();
    var tags = new ArrayList<ImageTag>();
    for (var reference : references) {
      DockerErrors.find(
              host,
              "looking up image " + reference,
              () -> host.client().inspectImageCmd(reference).exec())
          .ifPresent(image -> tags.add(new ImageTag(host.name(), reference, image.getId())));
    }
    return tags;
  }

  /**
   * Volumes are created and removed on their own; a container is removed by the id observed (a
   * slot of the same name may have been started since). Starting containers is a rollout step.
   */
  @Override
  public Outcome apply(ApplyRequest request) throws ProviderException {
    var change = request.change();
    if (!(request.target() instanceof ObserveTarget.DockerHost target) || !serves(target)) {
      throw request.notApplied(this, "its target is " + request.target().describe());
    }
    var host = hosts.get(target.host());
    return switch (change.id().kind()) {
      case NETWORK ->
        switch (change.action()) {
          case CREATE, REPLACE ->
            Networks.ensure(host, change.id(), request.owner(), target.pool());
          case UPDATE -> Networks.update(host, change.id(), request.owner(), target.pool());
          case DELETE -> Networks.remove(host, change.id());
          case NOOP ->
            new Outcome.Unchanged(change.id(), "networks of " + change.id().environmentKey());
        };
      case VOLUME ->
        switch (change.action()) {
          case CREATE, REPLACE, UPDATE ->
            ContainerActions.ensureVolume(
                host,
                change.id(),
                request.owner(),
                request.desired().orElse(null) instanceof DesiredVolume v
                    ? v.adopts()
                    : Optional.empty());
          case DELETE -> ContainerActions.removeVolume(host, change.id());
          case NOOP -> new Outcome.Unchanged(change.id(), "volume " + Names.volume(change.id()));
        };
      case CONTAINER ->
        switch (change.action()) {
          case DELETE ->
            request.observed().orElse(null) instanceof ObservedContainer found
                ? removeObserved(host, found)
                : new Outcome.AlreadyAbsent(change.id(), "container of " + change.label());
          case NOOP -> new Outcome.Unchanged(change.id(), change.label());
          case CREATE, UPDATE, REPLACE ->
            throw request.notApplied(
                this, "a new slot is a rollout step (ContainerRuntime.start), beside the old one");
        };
      case SERVICE ->
        switch (change.action()) {
          case DELETE ->
            request.observed().orElse(null) instanceof ObservedService found
                ? SwarmServices.removeStopped(host, found.id(), found.serviceId())
                : new Outcome.AlreadyAbsent(change.id(), "service of " + change.label());
          case NOOP -> new Outcome.Unchanged(change.id(), change.label());
          case CREATE, UPDATE, REPLACE ->
            throw request.notApplied(
                this,
                "a service is rolled out by the engine and watched to its end (ServiceRuntime.rollOut)");
        };
      case ADOPTION ->
        switch (change.action()) {
          case NOOP, DELETE -> new Outcome.Unchanged(change.id(), change.label());
          case CREATE, UPDATE, REPLACE ->
            throw request.notApplied(
                this,
                "containers taken over stop at their moments of a rollout (ContainerRuntime.stop)");
        };
      case SITE, CERTIFICATE ->
        throw request.notApplied(this, "it owns containers, services and volumes");
    };
  }

  private static Outcome removeObserved(DockerHost host, ObservedContainer found)
      throws ProviderException {
    var what =
        "container " + found.name() + " (" + ContainerActions.shortId(found.containerId()) + ")";
    return switch (ContainerActions.retire(host, found.id(), found.containerId())) {
      case Outcome.AlreadyAbsent a -> new Outcome.AlreadyAbsent(found.id(), what);
      case Outcome retired -> retired;
    };
  }

  /** Its container slots, for tests of that capability alone. */
  public ContainerRuntime containers() {
    return containers;
  }

  /** Its swarm services, for tests of that capability alone. */
  public ServiceRuntime services() {
    return services;
  }

  /** Its volume archives, for tests of that capability alone. */
  public VolumeArchives volumes() {
    return volumes;
  }

  @Override
  public void useHosts(HostResolver hosts) {
    this.hosts.use(hosts);
  }

  @Override
  public void close() {
    hosts.close();
  }
}
