package dev.reconcile.providers.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.reconcile.desired.ContainerFingerprint;
import dev.reconcile.desired.DesiredVolume;
import dev.reconcile.desired.Networking;
import dev.reconcile.model.ContainerSpec;
import dev.reconcile.provider.ContainerRuntime.PortTaken;
import dev.reconcile.provider.ContainerRuntime.RunningSlot;
import dev.reconcile.provider.ContainerRuntime.SlotLaunch;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Creates, starts and removes containers and volumes, labelled as the tool's. */
final class ContainerActions {
  private ContainerActions() {}

  static RunningSlot start(DockerHost host, SlotLaunch launch) throws ProviderException, PortTaken {
    var container = launch.container();
    var name = Names.container(container.id(), launch.slot());
    // unless-stopped: the engine starts it again after a crash or its own restart (a reboot); a
    // slot the tool stopped stays stopped.
    var hostConfig = HostConfig.newHostConfig()
        .withInit(true)
        .withMounts(mounts(container.id(), container.spec().volumes()))
        .withRestartPolicy(RestartPolicy.unlessStoppedRestart());
    container.spec().resources().ifPresent(r -> {
      r.nanoCpus().ifPresent(hostConfig::withNanoCPUs);
      if (r.memory().isPresent()) {
        hostConfig.withMemory(r.memory().getAsLong());
      }
    });
    var create = host.client()
        .createContainerCmd(container.fingerprint().image())
        .withName(name)
        .withLabels(labels(launch))
        .withEnv(launch.env().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .toList());
    if (!container.spec().command().isEmpty()) {
      create.withCmd(container.spec().command());
    }
    // Kept by the container: a stop by hand, the engine's own shutdown and a retirement use it.
    container.spec().stopGrace().ifPresent(g -> create.withStopTimeout((int) g.toSeconds()));
    if (container.spec().port().isPresent() && launch.hostPort().isPresent()) {
      var exposed = ExposedPort.tcp(container.spec().port().getAsInt());
      create.withExposedPorts(exposed);
      hostConfig.withPortBindings(new PortBinding(
          Ports.Binding.bindIpAndPort("127.0.0.1", launch.hostPort().getAsInt()), exposed));
    }
    var networking = container.networking();
    if (networking.isPresent()) {
      // Created on the host's egress network (its published port and traffic out), then joined
      // to the internal one where names live, and to the networks it is shared with.
      if (networking.get().named()) {
        Networks.ensure(
            host,
            networking.get().environment(),
            launch.owner(),
            networking.get().pool());
      }
      hostConfig.withNetworkMode(Networks.egress(host, networking.get().pool()));
    }
    container
        .spec()
        .health()
        .filter(h -> !h.command().isEmpty())
        .ifPresent(h -> create.withHealthcheck(new HealthCheck()
            .withTest(healthTest(h.command()))
            .withInterval(h.interval().toNanos())
            .withTimeout(h.timeout().toNanos())
            .withRetries(h.retries())));
    create.withHostConfig(hostConfig);
    var id = DockerErrors.call(host, "creating container " + name, create::exec).getId();
    try {
      if (networking.isPresent()) {
        var n = networking.get();
        if (n.named()) {
          Networks.join(
              host, id, n.network(), launch.named() ? n.aliases() : List.of(), Optional.empty());
        }
        for (var shared : n.shared()) {
          // Another project's network, made here if that project was never applied yet.
          Networks.ensure(host, shared, launch.owner(), n.pool());
          Networks.join(
              host,
              id,
              Networking.of(shared),
              launch.named() ? List.of(n.fullName()) : List.of(),
              Optional.empty());
        }
      }
      DockerErrors.call(host, "starting container " + name, () -> {
        host.client().startContainerCmd(id).exec();
        return id;
      });
    } catch (ProviderException e) {
      // Created but not started (a port taken since, a bad mount): never leave it behind.
      var removed = remove(host, container.id(), id);
      var taken = DockerErrors.portTaken(e);
      if (launch.hostPort().isPresent() && taken.isPresent()) {
        throw new PortTaken(launch.hostPort().getAsInt(), taken.get());
      }
      throw e.withMessage(e.getMessage() + "; the created container " + name + " was "
          + (removed instanceof Outcome.Deleted ? "removed" : "already gone"));
    }
    return new RunningSlot(container.id(), id, name, launch.slot(), launch.hostPort());
  }

  static Outcome stop(DockerHost host, ResourceId id, String container) throws ProviderException {
    var changed = DockerErrors.settle(
        host,
        "stopping container " + container,
        () -> host.client().stopContainerCmd(container).exec());
    return new Outcome.Updated(
        id, "container " + container + (changed ? " stopped" : " was already stopped"));
  }

  /**
   * Stops a container taken over, first turning a restart policy of {@code always} into {@code
   * unless-stopped}: the same while it runs, but a stopped container stays stopped when the engine
   * starts again. Nothing to record for the undo: started again, it behaves as before.
   */
  static Outcome stopKept(DockerHost host, ResourceId id, String container)
      throws ProviderException {
    var inspected = DockerErrors.find(
        host,
        "inspecting container " + container,
        () -> host.client().inspectContainerCmd(container).exec());
    if (inspected.isEmpty()) {
      return new Outcome.AlreadyAbsent(id, "container " + container);
    }
    var policy = inspected.get().getHostConfig() == null
        ? null
        : inspected.get().getHostConfig().getRestartPolicy();
    var always = policy != null && "always".equals(policy.getName());
    if (always) {
      DockerErrors.call(
          host,
          "setting container " + container + "'s restart policy to unless-stopped",
          () -> host.client()
              .updateContainerCmd(container)
              .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
              .exec());
    }
    var changed = DockerErrors.settle(
        host,
        "stopping container " + container,
        () -> host.client().stopContainerCmd(container).exec());
    return new Outcome.Updated(
        id,
        "container " + container + (changed ? " stopped" : " was already stopped")
            + " and kept"
            + (always
                ? " (restart: always became unless-stopped, so a reboot leaves it stopped)"
                : ""));
  }

  static Outcome startAgain(DockerHost host, ResourceId id, String container)
      throws ProviderException {
    var changed = DockerErrors.settle(
        host,
        "starting container " + container,
        () -> host.client().startContainerCmd(container).exec());
    return new Outcome.Updated(
        id, "container " + container + (changed ? " started again" : " was already running"));
  }

  static String health(DockerHost host, String containerId) throws ProviderException {
    var inspected = DockerErrors.call(
        host,
        "inspecting container " + containerId,
        () -> host.client().inspectContainerCmd(containerId).exec());
    var state = inspected.getState();
    // A new slot the engine had to start again crashed: said at once, not after the health window.
    if (Boolean.TRUE.equals(state.getRestarting())
        || (inspected.getRestartCount() != null && inspected.getRestartCount() > 0)) {
      return "restarting";
    }
    if (state.getHealth() != null && state.getHealth().getStatus() != null) {
      return state.getHealth().getStatus();
    }
    return state.getStatus() == null ? "unknown" : state.getStatus();
  }

  /**
   * Retires a container that served: its stop signal, then up to its stop grace (its own
   * StopTimeout, else the engine's 10 s) for it to exit before the engine kills it, then removal.
   * The outcome says which happened and how long it took.
   */
  static Outcome retire(DockerHost host, ResourceId id, String container) throws ProviderException {
    var found = DockerErrors.find(
        host,
        "inspecting container " + container,
        () -> host.client().inspectContainerCmd(container).exec());
    if (found.isEmpty()) {
      return new Outcome.AlreadyAbsent(id, "container " + container);
    }
    var inspected = found.get();
    var name = inspected.getName() == null ? container : inspected.getName().replaceFirst("^/", "");
    var shown = "container " + name + " (" + shortId(inspected.getId()) + ")";
    // The grace it was made with (its StopTimeout), as its spec label says: docker-java does not
    // read StopTimeout back.
    var labels = inspected.getConfig() == null ? null : inspected.getConfig().getLabels();
    var grace = ContainerObserver.fingerprint(labels == null ? null : labels.get(Labels.SPEC))
        .flatMap(ContainerFingerprint::stopGrace)
        .orElse(ContainerSpec.ENGINE_STOP_GRACE);
    var how = "";
    if (Boolean.TRUE.equals(inspected.getState().getRunning())) {
      var started = System.nanoTime();
      try {
        DockerErrors.call(host, "stopping " + shown, grace, () -> {
          host.client().stopContainerCmd(container).exec();
          return true;
        });
      } catch (ProviderException e) {
        if (e.getCause() instanceof NotFoundException) {
          return new Outcome.AlreadyAbsent(id, shown);
        }
        // 304: it exited on its own since the inspection.
        if (!(e.getCause() instanceof NotModifiedException)) {
          throw e;
        }
      }
      var took = Duration.ofNanos(System.nanoTime() - started);
      var after = DockerErrors.find(
          host,
          "inspecting container " + container,
          () -> host.client().inspectContainerCmd(container).exec());
      var exit = after.map(a -> a.getState().getExitCodeLong()).orElse(null);
      how = exit != null && exit == KILLED && took.compareTo(grace) >= 0
          ? "; it did not exit within its stop grace of " + grace.toSeconds()
              + " s after its stop signal, and the engine killed it"
          : String.format(
              Locale.ROOT,
              "; it exited %.1f s after its stop signal%s",
              took.toMillis() / 1000.0,
              exit == null ? "" : " (exit code " + exit + ")");
    }
    var removed = remove(host, id, container);
    return removed instanceof Outcome.AlreadyAbsent
        ? new Outcome.AlreadyAbsent(id, shown)
        : new Outcome.Deleted(id, shown + how);
  }

  /** The exit code of a process ended by SIGKILL. */
  private static final long KILLED = 137;

  /** A container id as the engine's CLI shows it: its first 12 characters. */
  static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  static Outcome remove(DockerHost host, ResourceId id, String container) throws ProviderException {
    var found = DockerErrors.find(host, "removing container " + container, () -> {
      host.client().removeContainerCmd(container).withForce(true).exec();
      return container;
    });
    return found.isPresent()
        ? new Outcome.Deleted(id, "container " + container)
        : new Outcome.AlreadyAbsent(id, "container " + container);
  }

  static Outcome ensureVolume(DockerHost host, ResourceId volume, String owner)
      throws ProviderException {
    return ensureVolume(host, volume, owner, Optional.empty());
  }

  /**
   * The volume, made when missing: on the folder of the Docker volume it {@code adopts} when one
   * is named (its data used in place, nothing copied; that volume is left as it is).
   */
  static Outcome ensureVolume(
      DockerHost host, ResourceId volume, String owner, Optional<String> adopts)
      throws ProviderException {
    var name = Names.volume(volume);
    var existing = DockerErrors.find(
        host,
        "looking up volume " + name,
        () -> host.client().inspectVolumeCmd(name).exec());
    if (existing.isPresent() && !Labels.isOwnedBy(existing.get().getLabels(), owner)) {
      // Plan reports this as a conflict; here it guards against one made since the plan.
      throw new ProviderException.Terminal(
          host.describe(),
          "volume " + name + " exists and is "
              + Labels.describeOwner(existing.get().getLabels()),
          "it may hold someone's data: rename the "
              + "volume in projects.yml, or move the data and remove the volume by hand",
          null);
    }
    if (existing.isPresent()) {
      return new Outcome.Unchanged(volume, "volume " + name);
    }
    var labels = new HashMap<String, String>();
    labels.put(Labels.MANAGED, "true");
    labels.put(Labels.PROJECT, volume.project());
    labels.put(Labels.ENVIRONMENT, volume.environment());
    labels.put(Labels.VOLUME, volume.name().orElseThrow());
    labels.put(Labels.OWNER, owner);
    labels.put(Labels.HOST, host.name());
    labels.put(Labels.SPEC_HASH, DesiredVolume.of(volume, host.name()).specHash());
    if (adopts.isPresent()) {
      var storage = Adoption.storageOf(host, adopts.get(), name);
      labels.put(Labels.ADOPTED_FROM, adopts.get());
      DockerErrors.call(
          host,
          "creating volume " + name + " on " + adopts.get() + "'s data",
          () -> host.client()
              .createVolumeCmd()
              .withName(name)
              .withLabels(labels)
              .withDriver(storage.driver())
              .withDriverOpts(storage.options())
              .exec());
      return new Outcome.Created(
          volume, "volume " + name + " on the data of " + adopts.get() + " (" + storage + ")");
    }
    DockerErrors.call(
        host,
        "creating volume " + name,
        () -> host.client().createVolumeCmd().withName(name).withLabels(labels).exec());
    return new Outcome.Created(volume, "volume " + name);
  }

  static Outcome removeVolume(DockerHost host, ResourceId volume) throws ProviderException {
    var name = Names.volume(volume);
    var found = DockerErrors.find(host, "removing volume " + name, () -> {
      host.client().removeVolumeCmd(name).exec();
      return name;
    });
    return found.isPresent()
        ? new Outcome.Deleted(volume, "volume " + name)
        : new Outcome.AlreadyAbsent(volume, "volume " + name);
  }

  /**
   * The host ports containers publish, running or not: a stopped container (by a restore, by
   * hand) gets its port back when it starts again, so no new slot may take it meanwhile. The list
   * shows only running containers' ports: a stopped one's come from its label, or from its
   * configuration when it has none (made by an older version, or not by the tool).
   */
  static Set<Integer> publishedPorts(DockerHost host) throws ProviderException {
    var ports = new HashSet<Integer>();
    var stopped = new ArrayList<String>();
    for (var c : DockerErrors.call(
        host,
        "listing containers",
        () -> host.client().listContainersCmd().withShowAll(true).exec())) {
      var listed = false;
      if (c.getPorts() != null) {
        for (var p : c.getPorts()) {
          if (p.getPublicPort() != null) {
            ports.add(p.getPublicPort());
            listed = true;
          }
        }
      }
      var label = c.getLabels() == null ? null : c.getLabels().get(Labels.HOST_PORT);
      if (label != null && label.matches("[0-9]{1,5}")) {
        ports.add(Integer.parseInt(label));
      } else if (!listed && !"running".equals(c.getState())) {
        stopped.add(c.getId());
      }
    }
    for (var id : stopped) {
      DockerErrors.find(
              host,
              "inspecting container " + id,
              () -> host.client().inspectContainerCmd(id).exec())
          .map(i -> i.getHostConfig() == null ? null : i.getHostConfig().getPortBindings())
          .filter(b -> b != null && b.getBindings() != null)
          .ifPresent(b -> b.getBindings().values().stream()
              .filter(Objects::nonNull)
              .flatMap(Arrays::stream)
              .map(Ports.Binding::getHostPortSpec)
              .filter(spec -> spec != null && spec.matches("[0-9]{1,5}"))
              .forEach(spec -> ports.add(Integer.parseInt(spec))));
    }
    return ports;
  }

  /** The engine's form of a health command: run directly, not through a shell. */
  private static List<String> healthTest(List<String> command) {
    var test = new ArrayList<String>();
    test.add("CMD");
    test.addAll(command);
    return test;
  }

  private static Map<String, String> labels(SlotLaunch launch) {
    var container = launch.container();
    var labels = new HashMap<String, String>();
    labels.put(Labels.MANAGED, "true");
    labels.put(Labels.PROJECT, container.id().project());
    labels.put(Labels.ENVIRONMENT, container.id().environment());
    labels.put(Labels.COMPONENT, container.id().name().orElseThrow());
    labels.put(Labels.SLOT, launch.slot());
    labels.put(Labels.OWNER, launch.owner());
    labels.put(Labels.HOST, container.host());
    labels.put(Labels.SPEC_HASH, container.specHash());
    labels.put(Labels.SPEC, SpecHash.canonicalJson(container.fingerprint().toJson()));
    launch.hostPort().ifPresent(p -> labels.put(Labels.HOST_PORT, String.valueOf(p)));
    return labels;
  }

  static List<Mount> mounts(ResourceId container, Map<String, String> volumes) {
    var mounts = new ArrayList<Mount>();
    volumes.forEach((volume, path) -> mounts.add(new Mount()
        .withType(MountType.VOLUME)
        .withSource(
            Names.volume(ResourceId.volume(container.project(), container.environment(), volume)))
        .withTarget(path)));
    return mounts;
  }
}
