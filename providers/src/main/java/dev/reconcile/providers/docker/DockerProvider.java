package dev.reconcile.providers.docker;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredService;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.DesiredVolume;
import dev.reconcile.desired.Networking;
import dev.reconcile.host.CommandLine;
import dev.reconcile.host.Host;
import dev.reconcile.model.HostSpec;
import dev.reconcile.observed.Conflict;
import dev.reconcile.observed.ImageTag;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.observed.ObservedVolume;
import dev.reconcile.provider.ApplyRequest;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Containers and volumes on Docker hosts reached by socket or TCP. Observing a host costs a fixed
 * number of list calls (managed containers, managed volumes, all containers for conflicts) plus
 * one image lookup per distinct declared image, however many projects it runs.
 */
public final class DockerProvider implements Provider, ContainerRuntime, ServiceRuntime, VolumeArchives,
    AutoCloseable {
  private final UnaryOperator<DockerHttpClient> transport;
  private final Map<String, DockerHost> hosts = new ConcurrentHashMap<>();
  /** The local socket each engine over SSH is reached through, by host name; replaced when its connection is. */
  private final Map<String, StdioSocket> sockets = new ConcurrentHashMap<>();
  private volatile HostResolver resolver;

  /** For {@link java.util.ServiceLoader}. */
  public DockerProvider() {
    this(UnaryOperator.identity());
  }

  /** @param transport wraps each host's HTTP client (tests count calls with it) */
  public DockerProvider(UnaryOperator<DockerHttpClient> transport) {
    this.transport = transport;
  }

  @Override
  public String name() {
    return "docker";
  }

  @Override
  public Set<ResourceKind> kinds() {
    return Set.of(ResourceKind.CONTAINER, ResourceKind.VOLUME, ResourceKind.SERVICE, ResourceKind.NETWORK);
  }

  @Override
  public boolean serves(ObserveTarget target) {
    return target instanceof ObserveTarget.DockerHost d && runs(d.host());
  }

  @Override
  public ObservedBatch observe(ObserveRequest request) throws ProviderException {
    var target = (ObserveTarget.DockerHost) request.target();
    var host = host(target.host());
    var found = new ArrayList<ObservedResource>(ContainerObserver.observe(host, target.owner()));
    if (target.host().swarm()) {
      found.addAll(SwarmServices.observe(host, target.owner()));
    }
    var conflicts = new ArrayList<>(ConflictFinder.find(host, request.desired(), target.frontDoorPort(),
        target.owner()));
    volumes(host, target.owner(), request.desired(), found, conflicts);
    if (!target.host().swarm()) {
      Networks.observe(host, target.owner(), request.desired(), found, conflicts);
    }
    return new ObservedBatch(found, conflicts, tags(host, request));
  }

  /**
   * Volumes of this state directory are observed; any other volume with a name a declared
   * volume needs is a conflict: it may hold someone's data. One list call for both.
   */
  private static void volumes(DockerHost host, String owner, DesiredState desired,
      List<ObservedResource> found, List<Conflict> conflicts) throws ProviderException {
    var response = DockerErrors.call(host, "listing volumes", () -> host.client().listVolumesCmd().exec());
    if (response.getVolumes() == null) {
      return;
    }
    var needed = new HashMap<String, ResourceId>();
    desired.all(DesiredVolume.class).filter(v -> v.host().equals(host.name()))
        .forEach(v -> needed.put(Names.volume(v.id()), v.id()));
    for (var volume : response.getVolumes()) {
      var labels = volume.getLabels() == null ? Map.<String, String>of() : volume.getLabels();
      if (Labels.isOwnedBy(labels, owner) && !Labels.isForHost(labels, host.name())) {
        continue; // another platform.hosts entry's, on the same engine
      }
      if (!Labels.isOwnedBy(labels, owner)) {
        Optional.ofNullable(needed.get(volume.getName())).ifPresent(id -> conflicts.add(new Conflict(
            host.name(), "volume " + volume.getName() + " (" + Labels.describeOwner(labels) + ")",
            "the name " + volume.getName(), id)));
        continue;
      }
      try {
        var id = ResourceId.volume(labels.getOrDefault(Labels.PROJECT, ""),
            labels.getOrDefault(Labels.ENVIRONMENT, ""), labels.getOrDefault(Labels.VOLUME, ""));
        found.add(new ObservedVolume(id, host.name(), volume.getName(),
            labels.getOrDefault(Labels.SPEC_HASH, "")));
      } catch (IllegalArgumentException e) {
        // Labels that do not name a resource: not ours to judge, so not reported.
      }
    }
  }

  /** Where each declared image reference points on the host; absent images are simply left out. */
  private static List<ImageTag> tags(DockerHost host, ObserveRequest request) throws ProviderException {
    var references = Stream.concat(request.desired().all(DesiredContainer.class),
            request.desired().all(DesiredService.class).map(s -> s.container()))
        .filter(c -> c.host().equals(host.name()))
        .map(c -> c.fingerprint().image()).distinct().sorted().toList();
    var tags = new ArrayList<ImageTag>();
    for (var reference : references) {
      DockerErrors.find(host, "looking up image " + reference,
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
    var host = host(target.host());
    return switch (change.id().kind()) {
      case NETWORK -> switch (change.action()) {
        case CREATE, REPLACE, UPDATE -> Networks.ensure(host, change.id(), request.owner(), target.pool());
        case DELETE -> Networks.remove(host, change.id());
        case NOOP -> new Outcome.Unchanged(change.id(), "networks of " + change.id().environmentKey());
      };
      case VOLUME -> switch (change.action()) {
        case CREATE, REPLACE, UPDATE -> ContainerActions.ensureVolume(host, change.id(), request.owner());
        case DELETE -> ContainerActions.removeVolume(host, change.id());
        case NOOP -> new Outcome.Unchanged(change.id(), "volume " + Names.volume(change.id()));
      };
      case CONTAINER -> switch (change.action()) {
        case DELETE -> request.observed().orElse(null) instanceof ObservedContainer found
            ? removeObserved(host, found)
            : new Outcome.AlreadyAbsent(change.id(), "container of " + change.label());
        case NOOP -> new Outcome.Unchanged(change.id(), change.label());
        case CREATE, UPDATE, REPLACE -> throw request.notApplied(this,
            "a new slot is a rollout step (ContainerRuntime.start), beside the old one");
      };
      case SERVICE -> switch (change.action()) {
        case DELETE -> request.observed().orElse(null) instanceof ObservedService found
            ? SwarmServices.remove(host, found.id(), found.serviceId())
            : new Outcome.AlreadyAbsent(change.id(), "service of " + change.label());
        case NOOP -> new Outcome.Unchanged(change.id(), change.label());
        case CREATE, UPDATE, REPLACE -> throw request.notApplied(this,
            "a service is rolled out by the engine and watched to its end (ServiceRuntime.rollOut)");
      };
      case SITE, CERTIFICATE -> throw request.notApplied(this, "it owns containers, services and volumes");
    };
  }

  private static Outcome removeObserved(DockerHost host, ObservedContainer found) throws ProviderException {
    var what = "container " + found.name() + " (" + shortId(found.containerId()) + ")";
    return switch (ContainerActions.remove(host, found.id(), found.containerId())) {
      case Outcome.AlreadyAbsent a -> new Outcome.AlreadyAbsent(found.id(), what);
      default -> new Outcome.Deleted(found.id(), what);
    };
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  @Override
  public boolean runs(HostSpec host) {
    return host instanceof HostSpec.Docker || (host instanceof HostSpec.Ssh && resolver != null);
  }

  @Override
  public Rolled start(HostSpec host, DesiredService service, Map<String, String> env,
      String owner) throws ProviderException {
    return SwarmServices.start(host(host), service, env, owner);
  }

  @Override
  public Progress progress(HostSpec host, Rolled rolled, int replicas) throws ProviderException {
    return SwarmServices.progress(host(host), rolled, replicas);
  }

  @Override
  public Outcome undo(HostSpec host, Rolled rolled) throws ProviderException {
    return SwarmServices.undo(host(host), rolled);
  }

  @Override
  public RunningSlot start(HostSpec host, SlotLaunch launch) throws ProviderException, PortTaken {
    return ContainerActions.start(host(host), launch);
  }

  @Override
  public void logs(HostSpec host, String containerOrService, boolean service, LogQuery query,
      Consumer<String> output) throws ProviderException, InterruptedException {
    ContainerConsole.logs(host(host), containerOrService, service, query, output);
  }

  @Override
  public CommandLine execCommand(HostSpec host, String containerId, List<String> argv,
      boolean terminal) {
    return ContainerConsole.exec(host, containerId, argv, terminal);
  }

  @Override
  public String createOneOff(HostSpec host, SlotLaunch launch, List<String> argv, boolean terminal)
      throws ProviderException {
    return ContainerConsole.createRun(host(host), launch, argv, terminal);
  }

  @Override
  public CommandLine attachCommand(HostSpec host, String containerId, boolean terminal) {
    return ContainerConsole.attach(host, containerId);
  }

  @Override
  public OneOff runOnce(HostSpec host, SlotLaunch launch, String purpose, List<String> command, Duration timeout,
      Consumer<String> output) throws ProviderException, InterruptedException {
    return OneOffs.run(host(host), launch, purpose, command, timeout, output);
  }

  @Override
  public void joinInPlace(HostSpec host, String containerId, Networking networking,
      String owner) throws ProviderException {
    Networks.joinInPlace(host(host), containerId, networking, owner);
  }

  @Override
  public void moveNames(HostSpec host, String containerId, Networking networking,
      boolean give) throws ProviderException {
    Networks.moveNames(host(host), containerId, networking, give);
  }

  @Override
  public String health(HostSpec host, String containerId) throws ProviderException {
    return ContainerActions.health(host(host), containerId);
  }

  @Override
  public Outcome remove(HostSpec host, ResourceId id, String container) throws ProviderException {
    return ContainerActions.remove(host(host), id, container);
  }

  @Override
  public Outcome stop(HostSpec host, ResourceId id, String container) throws ProviderException {
    return ContainerActions.stop(host(host), id, container);
  }

  @Override
  public Outcome startAgain(HostSpec host, ResourceId id, String container) throws ProviderException {
    return ContainerActions.startAgain(host(host), id, container);
  }

  @Override
  public Set<Integer> publishedPorts(HostSpec host) throws ProviderException {
    return ContainerActions.publishedPorts(host(host));
  }

  @Override
  public void pull(HostSpec host, String image, Optional<Login> login, Duration limit, Consumer<String> progress)
      throws ProviderException, InterruptedException {
    ImagePuller.pull(host(host), image, login, limit, progress);
  }

  private DockerHost host(HostSpec spec) throws ProviderException {
    var known = hosts.get(spec.name());
    if (known != null && carriedBy(spec) == carriers.get(spec.name())) {
      return known;
    }
    synchronized (hosts) {
      known = hosts.get(spec.name());
      if (known != null && carriedBy(spec) != carriers.get(spec.name())) {
        // The SSH connection under this engine was made anew (it had dropped): so is the engine's.
        known.close();
        hosts.remove(spec.name());
        known = null;
      }
      if (known == null) {
        known = switch (spec) {
          case HostSpec.Docker docker -> DockerHost.connect(docker.name(), docker.endpoint(), docker.timeout(),
              transport);
          case HostSpec.Ssh ssh -> overSsh(ssh);
        };
        hosts.put(spec.name(), known);
      }
      return known;
    }
  }

  /** The SSH connection each engine over SSH was opened through, by host name. */
  private final Map<String, Host> carriers = new ConcurrentHashMap<>();

  /** The connection an engine over SSH goes through now (null for an engine reached directly). */
  private Host carriedBy(HostSpec spec) throws ProviderException {
    return spec instanceof HostSpec.Ssh ssh && resolver != null ? resolver.host(ssh) : null;
  }

  /** The engine of a server over SSH, through a local socket carried by dial-stdio. */
  private DockerHost overSsh(HostSpec.Ssh ssh) throws ProviderException {
    if (resolver == null) {
      throw new IllegalStateException("the engine handed no hosts to the Docker provider (useHosts)");
    }
    var host = resolver.host(ssh);
    carriers.put(ssh.name(), host);
    try {
      var socket = StdioSocket.open(host);
      var previous = sockets.put(ssh.name(), socket);
      if (previous != null) {
        previous.close(); // its connection dropped; kept open it would hold a thread and a file for good
      }
      return DockerHost.connect(ssh.name(), socket.endpoint(),
          "docker over ssh://" + ssh.user() + "@" + ssh.address() + ":" + ssh.port(), HostSpec.Docker.DEFAULT_TIMEOUT,
          transport);
    } catch (IOException e) {
      throw new ProviderException.Terminal("host " + ssh.name(), "cannot open a local socket for its Docker "
          + "engine: " + e.getMessage(), "check that the temp folder is writable", e);
    }
  }

  @Override
  public void export(HostSpec host, ResourceId volume, String image, OutputStream out)
      throws ProviderException {
    VolumeArchive.export(host(host), volume, image, out);
  }

  @Override
  public long stage(HostSpec host, ResourceId volume, String image, InputStream tar, Duration stall)
      throws ProviderException, InterruptedException {
    return VolumeArchive.stage(host(host), volume, image, tar, stall);
  }

  @Override
  public void forgetImage(HostSpec host, String tag) throws ProviderException {
    VolumeArchive.forget(host(host), tag);
  }

  @Override
  public List<String> sweepHelpers(HostSpec host) throws ProviderException {
    return VolumeArchive.sweep(host(host));
  }

  @Override
  public boolean staged(HostSpec host, ResourceId volume) throws ProviderException {
    return VolumeArchive.staged(host(host), volume);
  }

  @Override
  public void swapIn(HostSpec host, ResourceId volume, String image, String owner) throws ProviderException {
    VolumeArchive.swapIn(host(host), volume, image, owner);
  }

  @Override
  public void keepImage(HostSpec host, String imageId, String repository, String tag) throws ProviderException {
    VolumeArchive.keepImage(host(host), imageId, repository, tag);
  }

  @Override
  public boolean hasImage(HostSpec host, String image) throws ProviderException {
    return VolumeArchive.hasImage(host(host), image);
  }

  @Override
  public AutoCloseable events(HostSpec host, String owner, Consumer<ContainerEvent> listener,
      Runnable missed) throws ProviderException {
    var stream = new EventStream(() -> host(host), owner, event -> {
      var actor = event.getActor();
      var labels = actor == null || actor.getAttributes() == null ? Map.<String, String>of() : actor.getAttributes();
      if (!Labels.isForHost(labels, host.name())) {
        return;
      }
      try {
        var id = ResourceId.container(labels.getOrDefault(Labels.PROJECT, ""),
            labels.getOrDefault(Labels.ENVIRONMENT, ""), labels.getOrDefault(Labels.COMPONENT, ""));
        inspected.invalidate(event.getId());
        listener.accept(new ContainerEvent(id, event.getId() == null ? "" : event.getId(),
            event.getAction() == null ? "" : event.getAction()));
      } catch (IllegalArgumentException e) {
        // Labels that name no resource: not ours to react to.
      }
    }, () -> {
      inspected.invalidateAll(); // what was inspected before the gap may have changed in it
      missed.run();
    });
    stream.subscribe();
    return stream;
  }

  /**
   * What containers run with, by container id: a container's env and command never change, and
   * its start time only with an event, which drops it from here.
   */
  private final Cache<String, RunningConfig> inspected =
      Caffeine.newBuilder().maximumSize(10_000)
          .expireAfterWrite(Duration.ofMinutes(10)).build();

  @Override
  public Optional<RunningConfig> inspect(HostSpec host, String containerId) throws ProviderException {
    var cached = inspected.getIfPresent(containerId);
    if (cached != null) {
      return Optional.of(cached);
    }
    var docker = host(host);
    var found = DockerErrors.find(docker, "inspecting container " + containerId,
        () -> docker.client().inspectContainerCmd(containerId).exec()).map(c -> {
          var env = new LinkedHashMap<String, String>();
          for (var line : c.getConfig().getEnv() == null ? new String[0] : c.getConfig().getEnv()) {
            var eq = line.indexOf('=');
            env.put(eq < 0 ? line : line.substring(0, eq), eq < 0 ? "" : line.substring(eq + 1));
          }
          var command = c.getConfig().getCmd() == null ? List.<String>of() : List.of(c.getConfig().getCmd());
          var started = Instant.EPOCH;
          try {
            started = Instant.parse(c.getState().getStartedAt());
          } catch (RuntimeException e) {
            // Never started, or a format of another engine: no restart can be told then.
          }
          return new RunningConfig(env, command, started, c.getRestartCount() == null ? 0 : c.getRestartCount());
        });
    found.ifPresent(config -> inspected.put(containerId, config));
    return found;
  }

  @Override
  public void execOut(HostSpec host, String containerId, List<String> argv, OutputStream out,
      Duration stall) throws ProviderException {
    ContainerExec.out(host(host), containerId, argv, out, stall);
  }

  @Override
  public void execIn(HostSpec host, String containerId, List<String> argv, InputStream input, long size)
      throws ProviderException {
    ContainerExec.in(host(host), containerId, argv, input, size);
  }

  @Override
  public void useHosts(HostResolver hosts) {
    this.resolver = hosts;
  }

  @Override
  public void close() {
    hosts.values().forEach(DockerHost::close);
    sockets.values().forEach(StdioSocket::close);
  }

}
