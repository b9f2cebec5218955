package dev.reconcile.providers.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import dev.reconcile.desired.ContainerFingerprint;
import dev.reconcile.desired.DesiredService;
import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.ServiceRuntime;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Swarm services: what the tool declares as containers, run by the engine's own orchestrator on a
 * swarm manager. Updates are the engine's: start-first (a new task is healthy before an old one
 * stops), rolled back by the engine when a new task fails. This class asks and watches.
 */
final class SwarmServices {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  /** Labels of the service (not its tasks' containers: those are the engine's, never the tool's). */
  static final String REPLICAS = "reconcile.replicas";

  static final String SERVICE = "reconcile.service";
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private SwarmServices() {}

  /**
   * The services this owner made on the host, with their running tasks counted. The services, the
   * tasks and the nodes are asked for at once, and each service's tasks are read off the one task
   * list: one round trip's wait, not one per question and per service.
   */
  static List<ObservedService> observe(DockerHost host, String owner) throws ProviderException {
    var filter = new LinkedHashMap<String, String>();
    filter.put(Labels.MANAGED, "true");
    filter.put(Labels.OWNER, owner);
    List<Service> services;
    List<Task> tasks;
    SwarmNodes nodes;
    try (var asking = new AtOnce(host)) {
      var listed = asking.ask(() -> DockerErrors.call(
          host,
          "listing swarm services",
          () -> host.client().listServicesCmd().withLabelFilter(filter).exec()));
      var running = asking.ask(() -> DockerErrors.call(
          host,
          "listing swarm tasks",
          () -> host.client().listTasksCmd().withStateFilter(TaskState.RUNNING).exec()));
      var known = asking.ask(() -> SwarmNodes.of(host));
      services = asking.answer(listed);
      tasks = asking.answer(running);
      nodes = asking.answer(known);
    }
    var out = new ArrayList<ObservedService>();
    for (var service : services) {
      var labels = service.getSpec().getLabels();
      if (!Labels.isForHost(labels, host.name())) {
        continue;
      }
      try {
        var id = ResourceId.service(
            labels.getOrDefault(Labels.PROJECT, ""),
            labels.getOrDefault(Labels.ENVIRONMENT, ""),
            labels.getOrDefault(Labels.COMPONENT, ""));
        var own =
            tasks.stream().filter(t -> service.getId().equals(t.getServiceId())).toList();
        var running = (int) own.stream()
            .filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING)
            .count();
        out.add(observed(host, id, service, running, addresses(healthyTasks(service, own, nodes))));
      } catch (IllegalArgumentException e) {
        // Labels that name no resource: not ours to judge.
      }
    }
    return out;
  }

  /**
   * The spec the engine's last update replaced (its PreviousSpec, what {@code docker service
   * rollback} puts back), as the engine's JSON; docker-java's model does not read it.
   */
  private static Optional<String> previousSpec(DockerHost host, String serviceId)
      throws ProviderException {
    return DockerErrors.call(host, "inspecting service " + serviceId, () -> {
      var request = Request.builder()
          .method(Request.Method.GET)
          .path("/services/" + serviceId)
          .build();
      var http = ((DockerClientImpl) host.client()).getHttpClient();
      try (var response = http.execute(request)) {
        if (response.getStatusCode() != 200) {
          return Optional.<String>empty();
        }
        var previous = JSON.readTree(response.getBody()).path("PreviousSpec");
        return previous.isObject() ? Optional.of(previous.toString()) : Optional.<String>empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static int replicas(ServiceSpec spec) {
    return spec.getMode() != null && spec.getMode().getReplicated() != null
        ? (int) spec.getMode().getReplicated().getReplicas()
        : 0;
  }

  private static ObservedService observed(
      DockerHost host, ResourceId id, Service service, int running, List<String> addresses) {
    var spec = service.getSpec();
    var labels = spec.getLabels();
    var recorded = Optional.ofNullable(labels.get(Labels.SPEC)).flatMap(SwarmServices::fingerprint);
    var replicas = replicas(spec);
    var image = spec.getTaskTemplate().getContainerSpec().getImage();
    return new ObservedService(
        id,
        host.name(),
        service.getId(),
        spec.getName(),
        labels.getOrDefault(Labels.SPEC_HASH, ""),
        recorded,
        Integer.parseInt(labels.getOrDefault(REPLICAS, "1")),
        replicas,
        running,
        image == null ? "" : image.replaceAll("@sha256:[0-9a-f]+$", ""),
        addresses,
        Optional.ofNullable(service.getUpdateStatus())
            .map(s -> s.getState())
            .map(SwarmServices::word));
  }

  private static Optional<ContainerFingerprint> fingerprint(String json) {
    try {
      return ContainerFingerprint.fromJson(JSON.readTree(json));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Where the service's running, healthy tasks take traffic now ({@code NODE-ADDRESS:PORT}, sorted):
   * the routing nginx gets.
   */
  private static List<String> addresses(List<HealthyTask> tasks) {
    return tasks.stream().flatMap(t -> t.address().stream()).distinct().sorted().toList();
  }

  /**
   * A running, healthy task and where it listens.
   *
   * @param address its node's address and the port the engine published it on, e.g. {@code
   *     10.0.0.7:30001}; empty for a service without a port, or a task whose node or port is not known
   * @param current whether it runs the service's spec as it is now: while the engine updates, the
   *     old tasks still run (and take traffic), but the update is done only when the new ones do
   */
  record HealthyTask(Optional<String> address, boolean current) {}

  /**
   * From the manager's task list alone, so that tasks on every node count: the engine reports a
   * task running only once its container's health check passed (and fails it when the check
   * fails later), and the task's port status says where it was published. A task's container
   * is not inspected: on another node, the manager cannot.
   */
  static List<HealthyTask> healthyTasks(Service service, List<Task> tasks, SwarmNodes nodes) {
    var target = targetPort(service.getSpec());
    var current = service.getSpec().getTaskTemplate().getContainerSpec();
    var out = new ArrayList<HealthyTask>();
    for (var task : tasks) {
      if (!service.getId().equals(task.getServiceId())
          || task.getDesiredState() != TaskState.RUNNING
          || task.getStatus() == null
          || task.getStatus().getState() != TaskState.RUNNING) {
        continue;
      }
      var port = target.isPresent() ? publishedPort(task, target.getAsInt()) : OptionalInt.empty();
      var address = port.isPresent()
          ? nodes.address(task.getNodeId()).map(a -> a + ":" + port.getAsInt())
          : Optional.<String>empty();
      out.add(new HealthyTask(address, sameContainer(task, current)));
    }
    return out;
  }

  /**
   * The host port a task's target port was published on, from its {@code Status.PortStatus},
   * which docker-java does not model: read from the task's raw values, as the engine sent them.
   */
  static OptionalInt publishedPort(Task task, int target) {
    if (!(task.getRawValues().get("Status") instanceof Map<?, ?> status)
        || !(status.get("PortStatus") instanceof Map<?, ?> portStatus)
        || !(portStatus.get("Ports") instanceof List<?> ports)) {
      return OptionalInt.empty();
    }
    for (var entry : ports) {
      if (entry instanceof Map<?, ?> port
          && port.get("TargetPort") instanceof Number t
          && t.intValue() == target
          && port.get("PublishedPort") instanceof Number published
          && published.intValue() > 0) {
        return OptionalInt.of(published.intValue());
      }
    }
    return OptionalInt.empty();
  }

  /** Whether a task runs the container the service's spec asks for now (image, env, args). */
  private static boolean sameContainer(Task task, ContainerSpec current) {
    var spec = task.getSpec() == null ? null : task.getSpec().getContainerSpec();
    return spec != null
        && Objects.equals(spec.getImage(), current.getImage())
        && Objects.equals(spec.getEnv(), current.getEnv())
        && Objects.equals(spec.getArgs(), current.getArgs());
  }

  private static OptionalInt targetPort(ServiceSpec spec) {
    if (spec.getEndpointSpec() == null || spec.getEndpointSpec().getPorts() == null) {
      return OptionalInt.empty();
    }
    return spec.getEndpointSpec().getPorts().stream()
        .mapToInt(PortConfig::getTargetPort)
        .findFirst();
  }

  /** The spec the tool asks for: see the class comment and docs/swarm.md. */
  static ServiceSpec spec(
      DockerHost host, DesiredService desired, Map<String, String> env, String owner, String node) {
    var container = desired.container();
    var spec = container.spec();
    var labels = new LinkedHashMap<String, String>();
    labels.put(Labels.MANAGED, "true");
    labels.put(Labels.OWNER, owner);
    labels.put(Labels.HOST, host.name());
    labels.put(Labels.PROJECT, desired.id().project());
    labels.put(Labels.ENVIRONMENT, desired.id().environment());
    labels.put(Labels.COMPONENT, desired.id().name().orElseThrow());
    labels.put(Labels.SPEC_HASH, desired.specHash());
    labels.put(Labels.SPEC, SpecHash.canonicalJson(container.fingerprint().toJson()));
    labels.put(REPLICAS, Integer.toString(desired.replicas()));
    var box = new ContainerSpec()
        .withImage(spec.image().toString())
        .withEnv(
            env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        .withLabels(Map.of(SERVICE, Names.service(desired.id())));
    if (!spec.command().isEmpty()) {
      // Docker's command replaces the image's CMD, which a service calls Args.
      box.withArgs(spec.command());
    }
    health(spec).ifPresent(box::withHealthCheck);
    spec.stopGrace().ifPresent(g -> box.withStopGracePeriod(g.toNanos()));
    var mounts = new ArrayList<Mount>();
    spec.volumes()
        .forEach((volume, path) -> mounts.add(new Mount()
            .withType(MountType.VOLUME)
            .withSource(Names.volume(
                ResourceId.volume(desired.id().project(), desired.id().environment(), volume)))
            .withTarget(path)));
    if (!mounts.isEmpty()) {
      box.withMounts(mounts);
    }
    var task = new TaskSpec()
        .withContainerSpec(box)
        .withNetworks(
            List.of(new NetworkAttachmentConfig().withTarget(Names.network(desired.id()))));
    spec.resources().ifPresent(r -> {
      var limits = new ResourceSpecs();
      r.nanoCpus().ifPresent(limits::withNanoCPUs);
      r.memory().ifPresent(limits::withMemoryBytes);
      task.withResources(new ResourceRequirements().withLimits(limits));
    });
    if (!mounts.isEmpty()) {
      // A named volume lives on one node: its service stays on the node the tool talks to, where
      // the volume was made and where backups read it ("a manager" is not one node on a swarm of
      // several).
      task.withPlacement(new ServicePlacement().withConstraints(List.of("node.id==" + node)));
    }
    var monitor = monitor(spec) * NANOS_PER_MILLI;
    var out = new ServiceSpec()
        .withName(Names.service(desired.id()))
        .withLabels(labels)
        .withTaskTemplate(task)
        .withMode(new ServiceModeConfig()
            .withReplicated(new ServiceReplicatedModeOptions().withReplicas(desired.replicas())))
        .withUpdateConfig(new UpdateConfig()
            .withParallelism(1L)
            .withDelay(0L)
            .withOrder(order(spec))
            .withFailureAction(UpdateFailureAction.ROLLBACK)
            .withMonitor(monitor)
            .withMaxFailureRatio(0f))
        .withRollbackConfig(new UpdateConfig()
            .withParallelism(1L)
            .withDelay(0L)
            .withOrder(order(spec))
            .withFailureAction(UpdateFailureAction.PAUSE)
            .withMonitor(monitor)
            .withMaxFailureRatio(0f));
    // Host mode, a port per task chosen by the engine: nginx routes to the tasks themselves (the
    // routing mesh is not used; see docs/swarm.md for why and what it costs).
    spec.port()
        .ifPresent(p -> out.withEndpointSpec(new EndpointSpec()
            .withPorts(List.of(new PortConfig()
                .withTargetPort(p)
                .withProtocol(PortConfigProtocol.TCP)
                .withPublishMode(PortConfig.PublishMode.host)))));
    return out;
  }

  /** start-first unless the container declares single-writer state ({@code update: recreate}). */
  private static UpdateOrder order(dev.reconcile.model.ContainerSpec spec) {
    return spec.updateStrategy() == UpdateStrategy.RECREATE
        ? UpdateOrder.STOP_FIRST
        : UpdateOrder.START_FIRST;
  }

  /** How long a new task is watched after it started before the update goes on: its health window. */
  private static long monitor(dev.reconcile.model.ContainerSpec spec) {
    var window = spec.health()
        .map(h -> h.interval().multipliedBy(Math.min(h.retries(), 5)))
        .orElse(Duration.ofSeconds(5));
    return Math.max(window.toMillis(), 2000);
  }

  /**
   * The engine checks health inside the container: the HTTP path of {@code health}, fetched with
   * the image's wget or curl (an image with neither needs its own HEALTHCHECK).
   */
  private static Optional<HealthCheck> health(dev.reconcile.model.ContainerSpec spec) {
    if (spec.port().isEmpty()
        || spec.health().isEmpty()
        || spec.health().get().path().isEmpty()) {
      return Optional.empty();
    }
    var h = spec.health().get();
    var url = "http://127.0.0.1:" + spec.port().getAsInt() + h.path().get();
    return Optional.of(new HealthCheck()
        .withTest(List.of(
            "CMD-SHELL",
            "wget -q -O /dev/null '" + url + "' || curl -fsS -o /dev/null '" + url + "'"))
        .withInterval(h.interval().toMillis() * NANOS_PER_MILLI)
        .withTimeout(h.timeout().toMillis() * NANOS_PER_MILLI)
        .withRetries(h.retries())
        .withStartPeriod(0L));
  }

  /** Creates the service, or asks the engine to update it; returns at once. */
  static ServiceRuntime.Rolled start(
      DockerHost host, DesiredService desired, Map<String, String> env, String owner)
      throws ProviderException {
    network(host, desired, owner);
    var spec = spec(
        host,
        desired,
        env,
        owner,
        desired.container().spec().volumes().isEmpty() ? "" : SwarmNodes.self(host));
    var existing = find(host, Names.service(desired.id()));
    var limit = limit(desired);
    if (existing.isEmpty()) {
      var created = DockerErrors.call(
          host,
          "creating service " + spec.getName(),
          () -> host.client().createServiceCmd(spec).exec());
      return new ServiceRuntime.Rolled(
          desired.id(),
          created.getId(),
          Optional.empty(),
          limit,
          "created service " + spec.getName());
    }
    var service = existing.get();
    if (desired.specHash().equals(service.getSpec().getLabels().get(Labels.SPEC_HASH))
        && replicas(service.getSpec()) == desired.replicas()) {
      // The engine has this spec already, still rolling it out (an apply ended before it did):
      // asked again, it would start over. Followed instead; undone to the spec it replaced.
      var before = previousSpec(host, service.getId()).orElseGet(() -> json(service.getSpec()));
      return new ServiceRuntime.Rolled(
          desired.id(),
          service.getId(),
          Optional.of(before),
          limit,
          "following service " + spec.getName() + ": the engine is still rolling this spec out");
    }
    var previous = json(service.getSpec());
    DockerErrors.call(host, "updating service " + spec.getName(), () -> {
      host.client()
          .updateServiceCmd(service.getId(), spec)
          .withVersion(service.getVersion().getIndex())
          .exec();
      return true;
    });
    return new ServiceRuntime.Rolled(
        desired.id(),
        service.getId(),
        Optional.of(previous),
        limit,
        "updated service " + spec.getName() + " (the engine's rolling update, start-first)");
  }

  /** How long the engine may take: each replica's health window and monitor, and some slack. */
  private static Duration limit(DesiredService desired) {
    var spec = desired.container().spec();
    var window = spec.health()
        .map(h -> h.interval().multipliedBy(h.retries()).plus(h.timeout()))
        .orElse(Duration.ofSeconds(30));
    return window
        .plusMillis(monitor(spec))
        .plusSeconds(30)
        .multipliedBy(Math.max(1, desired.replicas()));
  }

  /** One look: has the engine ended, did it roll back (and why), which tasks take traffic. */
  static ServiceRuntime.Progress progress(
      DockerHost host, ServiceRuntime.Rolled rolled, int replicas) throws ProviderException {
    // Asked at once: this look is repeated through the whole update, and its end is seen sooner.
    Service service;
    List<HealthyTask> tasks;
    try (var asking = new AtOnce(host)) {
      var inspected = asking.ask(() -> DockerErrors.call(
          host,
          "inspecting service " + Names.service(rolled.id()),
          () -> host.client().inspectServiceCmd(rolled.serviceId()).exec()));
      var listed = asking.ask(() -> tasks(host, rolled.serviceId()));
      var known = asking.ask(() -> SwarmNodes.of(host));
      service = asking.answer(inspected);
      tasks = healthyTasks(service, asking.answer(listed), asking.answer(known));
    }
    var addresses = addresses(tasks);
    // The engine writes its update status a moment after the update was asked for: until then
    // the old tasks look done. Only tasks of the spec as it is now count as done.
    var current = tasks.stream().filter(HealthyTask::current).count();
    var status = service.getUpdateStatus();
    var state = status == null || status.getState() == null ? "" : word(status.getState());
    var updating = state.equals("updating") || state.equals("rollback_started");
    var failure = state.startsWith("rollback") || state.equals("paused")
        ? Optional.of("the engine rolled the update of " + Names.service(rolled.id()) + " back ("
            + state.replace('_', ' ') + "): "
            + Optional.ofNullable(status.getMessage()).orElse("no reason given")
            + failedTask(host, rolled.serviceId()))
        : Optional.<String>empty();
    // Each task counted (tasks on two nodes may share a port number); one that takes traffic has an
    // address.
    var routable = targetPort(service.getSpec()).isEmpty()
        || tasks.stream().allMatch(t -> t.address().isPresent());
    var replaced = failure.isEmpty() && current == replicas && tasks.size() == replicas && routable;
    var ended = !updating && (failure.isPresent() ? current > 0 : replaced);
    var words = tasks.size() + " of " + replicas + " healthy"
        + (state.isEmpty() ? "" : ", update " + state.replace('_', ' '));
    return new ServiceRuntime.Progress(ended, failure, replaced, addresses, words);
  }

  private static List<Task> tasks(DockerHost host, String serviceId) throws ProviderException {
    return DockerErrors.call(
        host,
        "listing tasks",
        () -> host.client().listTasksCmd().withServiceFilter(serviceId).exec());
  }

  /** The newest failed task's error, in the engine's words. */
  private static String failedTask(DockerHost host, String serviceId) {
    try {
      return tasks(host, serviceId).stream()
          .filter(t -> t.getStatus() != null
              && (t.getStatus().getErr() != null || t.getStatus().getState() == TaskState.FAILED))
          .map(t -> "; a task " + word(t.getStatus().getState()) + ": "
              + Optional.ofNullable(t.getStatus().getErr()).orElse(t.getStatus().getMessage()))
          .findFirst()
          .orElse("");
    } catch (ProviderException e) {
      return "";
    }
  }

  /** Puts back the spec an update replaced, or removes a service a rollout created. */
  static Outcome undo(DockerHost host, ServiceRuntime.Rolled rolled) throws ProviderException {
    if (rolled.previous().isEmpty()) {
      return remove(host, rolled.id(), rolled.serviceId());
    }
    var service = DockerErrors.call(
        host,
        "inspecting service " + rolled.serviceId(),
        () -> host.client().inspectServiceCmd(rolled.serviceId()).exec());
    ServiceSpec previous;
    try {
      previous = JSON.readValue(rolled.previous().get(), ServiceSpec.class);
    } catch (IOException e) {
      throw new IllegalStateException("a service spec the engine gave back is not JSON", e);
    }
    DockerErrors.call(host, "putting back the previous spec of " + previous.getName(), () -> {
      host.client()
          .updateServiceCmd(rolled.serviceId(), previous)
          .withVersion(service.getVersion().getIndex())
          .exec();
      return true;
    });
    return new Outcome.Updated(
        rolled.id(), "the previous spec of service " + previous.getName() + " was put back");
  }

  static Outcome remove(DockerHost host, ResourceId id, String serviceId) throws ProviderException {
    var gone = DockerErrors.find(host, "removing service " + serviceId, () -> {
      host.client().removeServiceCmd(serviceId).exec();
      return true;
    });
    return gone.isPresent()
        ? new Outcome.Deleted(id, "service " + Names.service(id))
        : new Outcome.AlreadyAbsent(id, "service " + Names.service(id));
  }

  /**
   * Removes a service no longer declared, and waits until the engine has stopped its tasks (each
   * within its stop grace period): until then its network is in use and cannot be removed.
   */
  static Outcome removeStopped(DockerHost host, ResourceId id, String serviceId)
      throws ProviderException {
    // A declared stop_grace longer than the usual wait is waited out: the tasks take that long.
    var wait = DockerErrors.find(
            host,
            "inspecting service " + serviceId,
            () -> host.client().inspectServiceCmd(serviceId).exec())
        .map(Service::getSpec)
        .map(ServiceSpec::getTaskTemplate)
        .map(TaskSpec::getContainerSpec)
        .map(ContainerSpec::getStopGracePeriod)
        .map(nanos -> Duration.ofNanos(nanos).plus(TASKS_STOP_SLACK))
        .filter(longer -> longer.compareTo(TASKS_STOP) > 0)
        .orElse(TASKS_STOP);
    if (remove(host, id, serviceId) instanceof Outcome.AlreadyAbsent absent) {
      return absent;
    }
    var start = System.nanoTime();
    var left = remainingTasks(host, serviceId);
    while (left > 0 && System.nanoTime() - start < wait.toNanos()) {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProviderException.Terminal(
            host.describe(),
            "interrupted while the tasks of removed service " + Names.service(id) + " stopped",
            "",
            e);
      }
      left = remainingTasks(host, serviceId);
    }
    var waited = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9);
    return new Outcome.Deleted(
        id,
        "service " + Names.service(id)
            + (left == 0
                ? " (its tasks stopped in " + waited + ")" + networkGone(host, id)
                : " (" + left + " of its tasks still stopping after " + waited + ")"));
  }

  /**
   * Removes the environment's overlay network once no service is on it any more (the last
   * service of the environment went): swarm hosts do not observe networks as resources of
   * their own, so it goes with its last service. Says what it did, or why the network stays.
   */
  private static String networkGone(DockerHost host, ResourceId id) throws ProviderException {
    var name = Names.network(id);
    var network = DockerErrors.call(
            host,
            "listing networks",
            () -> host.client().listNetworksCmd().withNameFilter(name).exec())
        .stream()
        .filter(n -> name.equals(n.getName()))
        .findFirst();
    if (network.isEmpty()) {
      return "";
    }
    var networkId = network.get().getId();
    var used =
        DockerErrors.call(
                host, "listing services", () -> host.client().listServicesCmd().exec())
            .stream()
            .anyMatch(s -> s.getSpec() != null
                && s.getSpec().getTaskTemplate() != null
                && s.getSpec().getTaskTemplate().getNetworks() != null
                && s.getSpec().getTaskTemplate().getNetworks().stream()
                    .anyMatch(n -> networkId.equals(n.getTarget()) || name.equals(n.getTarget())));
    if (used) {
      return "";
    }
    try {
      DockerErrors.find(host, "removing network " + name, () -> {
        host.client().removeNetworkCmd(networkId).exec();
        return name;
      });
      return " and its network " + name;
    } catch (ProviderException e) {
      // A one-off container still attached, say: the service is gone all the same.
      return "; its network " + name + " stays: " + e.getMessage();
    }
  }

  /** How long a removal waits for the tasks to stop: beyond the engine's default grace of 10 s. */
  private static final Duration TASKS_STOP = Duration.ofSeconds(60);

  /** Beyond a declared stop grace: the engine's own time to notice and clean up. */
  private static final Duration TASKS_STOP_SLACK = Duration.ofSeconds(30);

  /**
   * Tasks of a service the engine still holds. Listed whole: a filter by a removed service is
   * refused ("service not found") while its tasks still stop.
   */
  private static long remainingTasks(DockerHost host, String serviceId) throws ProviderException {
    return DockerErrors.call(
            host, "listing swarm tasks", () -> host.client().listTasksCmd().exec())
        .stream()
        .filter(t -> serviceId.equals(t.getServiceId()))
        .count();
  }

  private static Optional<Service> find(DockerHost host, String name) throws ProviderException {
    return DockerErrors.call(
            host,
            "looking up service " + name,
            () -> host.client().listServicesCmd().withNameFilter(List.of(name)).exec())
        .stream()
        .filter(s -> name.equals(s.getSpec().getName()))
        .findFirst();
  }

  /** The project environment's overlay network, made once (attachable, so one-off tasks may join). */
  private static void network(DockerHost host, DesiredService desired, String owner)
      throws ProviderException {
    var name = Names.network(desired.id());
    var found = DockerErrors.call(
            host,
            "listing networks",
            () -> host.client().listNetworksCmd().withNameFilter(name).exec())
        .stream()
        .anyMatch(n -> name.equals(n.getName()));
    if (!found) {
      DockerErrors.call(
          host,
          "creating overlay network " + name,
          () -> host.client()
              .createNetworkCmd()
              .withName(name)
              .withDriver("overlay")
              .withAttachable(true)
              .withLabels(Map.of(
                  Labels.MANAGED,
                  "true",
                  Labels.OWNER,
                  owner,
                  Labels.PROJECT,
                  desired.id().project(),
                  Labels.ENVIRONMENT,
                  desired.id().environment(),
                  // Else a Docker host on the same engine takes it for one of its own.
                  Labels.HOST,
                  host.name()))
              .exec());
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String word(Object state) {
    return String.valueOf(state).toLowerCase(Locale.ROOT);
  }
}
