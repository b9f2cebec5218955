package dev.reconcile.providers.docker;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.reconcile.desired.Networking;
import dev.reconcile.host.CommandLine;
import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** The Docker provider's container slots: started, checked, stopped, removed, inspected, heard. */
final class DockerContainers implements ContainerRuntime {
  private final DockerHosts hosts;
  /**
   * What containers run with, by container id: a container's env and command never change, and
   * its start time only with an event, which drops it from here.
   */
  private final Cache<String, RunningConfig> inspected = Caffeine.newBuilder()
      .maximumSize(10_000)
      .expireAfterWrite(Duration.ofMinutes(10))
      .build();

  DockerContainers(DockerHosts hosts) {
    this.hosts = hosts;
  }

  @Override
  public boolean runs(HostSpec host) {
    return hosts.reaches(host);
  }

  @Override
  public RunningSlot start(HostSpec host, SlotLaunch launch) throws ProviderException, PortTaken {
    return ContainerActions.start(hosts.get(host), launch);
  }

  @Override
  public void logs(
      HostSpec host,
      String containerOrService,
      boolean service,
      LogQuery query,
      Consumer<String> output)
      throws ProviderException, InterruptedException {
    ContainerConsole.logs(hosts.get(host), containerOrService, service, query, output);
  }

  @Override
  public CommandLine execCommand(
      HostSpec host, String containerId, List<String> argv, boolean terminal) {
    return ContainerConsole.exec(host, containerId, argv, terminal);
  }

  @Override
  public String createOneOff(HostSpec host, SlotLaunch launch, List<String> argv, boolean terminal)
      throws ProviderException {
    return ContainerConsole.createRun(hosts.get(host), launch, argv, terminal);
  }

  @Override
  public CommandLine attachCommand(HostSpec host, String containerId, boolean terminal) {
    return ContainerConsole.attach(host, containerId);
  }

  @Override
  public OneOff runOnce(
      HostSpec host,
      SlotLaunch launch,
      String purpose,
      List<String> command,
      Duration timeout,
      Consumer<String> output)
      throws ProviderException, InterruptedException {
    return OneOffs.run(hosts.get(host), launch, purpose, command, timeout, output);
  }

  @Override
  public void joinInPlace(HostSpec host, String containerId, Networking networking, String owner)
      throws ProviderException {
    Networks.joinInPlace(hosts.get(host), containerId, networking, owner);
  }

  @Override
  public void moveNames(HostSpec host, String containerId, Networking networking, boolean give)
      throws ProviderException {
    Networks.moveNames(hosts.get(host), containerId, networking, give);
  }

  @Override
  public String health(HostSpec host, String containerId) throws ProviderException {
    return ContainerActions.health(hosts.get(host), containerId);
  }

  @Override
  public Outcome remove(HostSpec host, ResourceId id, String container) throws ProviderException {
    return ContainerActions.remove(hosts.get(host), id, container);
  }

  @Override
  public Outcome retire(HostSpec host, ResourceId id, String container) throws ProviderException {
    return ContainerActions.retire(hosts.get(host), id, container);
  }

  @Override
  public Outcome stop(HostSpec host, ResourceId id, String container) throws ProviderException {
    return ContainerActions.stop(hosts.get(host), id, container);
  }

  @Override
  public Outcome stopKept(HostSpec host, ResourceId id, String container) throws ProviderException {
    return ContainerActions.stopKept(hosts.get(host), id, container);
  }

  @Override
  public Outcome startAgain(HostSpec host, ResourceId id, String container)
      throws ProviderException {
    return ContainerActions.startAgain(hosts.get(host), id, container);
  }

  @Override
  public Set<Integer> publishedPorts(HostSpec host) throws ProviderException {
    return ContainerActions.publishedPorts(hosts.get(host));
  }

  @Override
  public void pull(
      HostSpec host, String image, Optional<Login> login, Duration limit, Consumer<String> progress)
      throws ProviderException, InterruptedException {
    ImagePuller.pull(hosts.get(host), image, login, limit, progress);
  }

  @Override
  public AutoCloseable events(
      HostSpec host, String owner, Consumer<ContainerEvent> listener, Runnable missed)
      throws ProviderException {
    var stream = new EventStream(
        () -> hosts.get(host),
        owner,
        event -> {
          var actor = event.getActor();
          var labels = actor == null || actor.getAttributes() == null
              ? Map.<String, String>of()
              : actor.getAttributes();
          if (!Labels.isForHost(labels, host.name())) {
            return;
          }
          try {
            var id = ResourceId.container(
                labels.getOrDefault(Labels.PROJECT, ""),
                labels.getOrDefault(Labels.ENVIRONMENT, ""),
                labels.getOrDefault(Labels.COMPONENT, ""));
            inspected.invalidate(event.getId());
            listener.accept(new ContainerEvent(
                id,
                event.getId() == null ? "" : event.getId(),
                event.getAction() == null ? "" : event.getAction()));
          } catch (IllegalArgumentException e) {
            // Labels that name no resource: not ours to react to.
          }
        },
        () -> {
          inspected.invalidateAll(); // what was inspected before the gap may have changed in it
          missed.run();
        });
    stream.subscribe();
    return stream;
  }

  @Override
  public Optional<RunningConfig> inspect(HostSpec host, String containerId)
      throws ProviderException {
    var cached = inspected.getIfPresent(containerId);
    if (cached != null) {
      return Optional.of(cached);
    }
    var docker = hosts.get(host);
    var found = DockerErrors.find(
            docker,
            "inspecting container " + containerId,
            () -> docker.client().inspectContainerCmd(containerId).exec())
        .map(c -> {
          var env = new LinkedHashMap<String, String>();
          for (var line :
              c.getConfig().getEnv() == null ? new String[0] : c.getConfig().getEnv()) {
            var eq = line.indexOf('=');
            env.put(eq < 0 ? line : line.substring(0, eq), eq < 0 ? "" : line.substring(eq + 1));
          }
          var command = c.getConfig().getCmd() == null
              ? List.<String>of()
              : List.of(c.getConfig().getCmd());
          var started = Instant.EPOCH;
          try {
            started = Instant.parse(c.getState().getStartedAt());
          } catch (RuntimeException e) {
            // Never started, or a format of another engine: no restart can be told then.
          }
          return new RunningConfig(
              env, command, started, c.getRestartCount() == null ? 0 : c.getRestartCount());
        });
    found.ifPresent(config -> inspected.put(containerId, config));
    return found;
  }
}
