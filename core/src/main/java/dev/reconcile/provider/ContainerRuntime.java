package dev.reconcile.provider;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.Networking;
import dev.reconcile.host.CommandLine;
import dev.reconcile.model.HostSpec;
import dev.reconcile.resource.ResourceId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the executor needs from a provider that runs containers: the steps of a rollout, each
 * idempotent. Changes a provider makes on its own (volumes, removals) go through {@link
 * Provider#apply}. A provider offers this besides {@link Provider}; the engine finds it by pattern
 * matching once, when wiring.
 */
public interface ContainerRuntime extends Capability {
  boolean runs(HostSpec host);

  /**
   * Creates and starts one slot, its port published on 127.0.0.1 only.
   *
   * @throws PortTaken when the host port was taken since it was found free (nothing is left
   *     behind): the caller picks another
   */
  RunningSlot start(HostSpec host, SlotLaunch launch) throws ProviderException, PortTaken;

  /** The host port a slot was to publish was taken between the check and the start. */
  final class PortTaken extends Exception {
    private final int port;

    public PortTaken(int port, String detail) {
      super("port " + port + " was taken since it was found free (" + detail + ")");
      this.port = port;
    }

    public int port() {
      return port;
    }
  }

  /**
   * Moves a running container onto its networks, without a restart: one made before networks joins
   * the host's egress network, its network of names (under its names) and the networks it is
   * shared with, then leaves Docker's default bridge (only when it publishes no port, which stays
   * on the bridge); one whose environment has grown a second container joins the network of names.
   */
  default void joinInPlace(HostSpec host, String containerId, Networking networking, String owner)
      throws ProviderException {
    throw new ProviderException.Terminal(
        "host " + host.name(), "this runtime has no networks", "", null);
  }

  /**
   * Gives a running container its names on its network and the networks it is shared with, or
   * takes them away, keeping its addresses there (its open connections survive). Nothing for a
   * container on no such network.
   */
  default void moveNames(HostSpec host, String containerId, Networking networking, boolean give)
      throws ProviderException {}

  /**
   * Runs a command once, in a throwaway container of a slot's image, env, volumes and network
   * (never published, never named on the network), and removes it: a release command, {@code
   * reconcile run}. Each line of its output goes to {@code output} as it comes.
   *
   * @param purpose {@code release} or {@code run}: part of the container's name and labels
   */
  default OneOff runOnce(
      HostSpec host,
      SlotLaunch launch,
      String purpose,
      List<String> command,
      Duration timeout,
      Consumer<String> output)
      throws ProviderException, InterruptedException {
    throw new ProviderException.Terminal(
        "host " + host.name(), "this runtime cannot run one-off containers", "", null);
  }

  /**
   * How a one-off command ended.
   *
   * @param exitCode its exit code; -1 when it was stopped at its timeout
   * @param lastLines the last lines of its output, for a message
   */
  record OneOff(long exitCode, Duration took, boolean timedOut, List<String> lastLines) {
    public OneOff {
      lastLines = List.copyOf(lastLines);
    }

    public boolean succeeded() {
      return !timedOut && exitCode == 0;
    }
  }

  /**
   * Streams a container's output (a swarm service's: all its tasks') to {@code output}, a line at a
   * time: the lines the query asks for, then, when it follows, new ones until the thread is
   * interrupted.
   */
  default void logs(
      HostSpec host,
      String containerOrService,
      boolean service,
      LogQuery query,
      Consumer<String> output)
      throws ProviderException, InterruptedException {
    throw new ProviderException.Terminal(
        "host " + host.name(), "this runtime keeps no logs", "", null);
  }

  /**
   * Which lines of output.
   *
   * @param since only lines written this long ago or later
   * @param tail only the last this many lines (before following)
   */
  record LogQuery(Optional<Duration> since, OptionalInt tail, boolean follow) {}

  /**
   * The program, run on the host with a person's terminal ({@link dev.reconcile.host.Host#interactive}),
   * that runs {@code argv} in a running container (the engine's own client).
   */
  default CommandLine execCommand(
      HostSpec host, String containerId, List<String> argv, boolean terminal)
      throws ProviderException {
    throw new ProviderException.Terminal(
        "host " + host.name(), "this runtime cannot run commands in containers", "", null);
  }

  /**
   * Makes a throwaway container like a slot ({@link #runOnce}), ready to be started attached to a
   * person's terminal by {@link #attachCommand}; {@link #remove} it afterwards.
   *
   * @return its id
   */
  default String createOneOff(HostSpec host, SlotLaunch launch, List<String> argv, boolean terminal)
      throws ProviderException {
    throw new ProviderException.Terminal(
        "host " + host.name(), "this runtime cannot run one-off containers", "", null);
  }

  /** The program that starts a container made by {@link #createOneOff} with this process's input and output. */
  default CommandLine attachCommand(HostSpec host, String containerId, boolean terminal)
      throws ProviderException {
    throw new ProviderException.Terminal(
        "host " + host.name(), "this runtime cannot run one-off containers", "", null);
  }

  /** Docker's view: {@code healthy}, {@code unhealthy}, {@code starting}, or the state word when the image has no health check. */
  String health(HostSpec host, String containerId) throws ProviderException;

  /**
   * Removes a container (by id or name) at once, running or not: a new slot that failed, a
   * one-off; a missing one is {@code AlreadyAbsent}.
   */
  Outcome remove(HostSpec host, ResourceId id, String container) throws ProviderException;

  /**
   * Retires a container that served (an old slot after its drain, one no longer declared): asks
   * it to stop (SIGTERM, or its image's stop signal), gives it its stop grace to finish what it
   * is doing, then removes it; the outcome says how it ended. A missing one is {@code
   * AlreadyAbsent}. A runtime without graceful stops removes it at once.
   */
  default Outcome retire(HostSpec host, ResourceId id, String container) throws ProviderException {
    return remove(host, id, container);
  }

  /**
   * Pulls an image onto the host, waiting at most {@code limit}. {@code progress} hears how far it
   * got, e.g. "12.1 / 40.3 MB".
   */
  void pull(
      HostSpec host, String image, Optional<Login> login, Duration limit, Consumer<String> progress)
      throws ProviderException, InterruptedException;

  /** Credentials for a registry. The password is resolved, so never shown. */
  record Login(String server, String username, String password) {
    @Override
    public String toString() {
      return "Login[" + username + "@" + server + ", password hidden]";
    }
  }

  /**
   * Stops a container gracefully: SIGTERM, then SIGKILL after its stop timeout. Already stopped
   * is no error: the outcome says "already" (ContainerRuntimeContract).
   */
  Outcome stop(HostSpec host, ResourceId id, String container) throws ProviderException;

  /**
   * Starts a stopped container again (a rollback of {@code update: recreate}); one that runs is
   * no error: the outcome says "already".
   */
  Outcome startAgain(HostSpec host, ResourceId id, String container) throws ProviderException;

  /**
   * Stops a container from before reconcile that an environment takes over, so that it stays
   * stopped, also when the engine starts again after a reboot (a restart policy of {@code always}
   * would bring back a second writer of the data): kept, to be started again by {@code adopt
   * --undo}.
   */
  default Outcome stopKept(HostSpec host, ResourceId id, String container)
      throws ProviderException {
    return stop(host, id, container);
  }

  /** Host ports any container on the host publishes, managed or not. */
  Set<Integer> publishedPorts(HostSpec host) throws ProviderException;

  /**
   * What a container really runs with, read from the engine (not from its labels): to find a
   * container recreated or restarted by hand. Empty when it is gone or the runtime cannot tell.
   */
  default Optional<RunningConfig> inspect(HostSpec host, String containerId)
      throws ProviderException {
    return Optional.empty();
  }

  /**
   * Tells {@code listener} about lifecycle events of the managed containers on the host (die,
   * start, destroy, health changes) until the returned handle is closed. The default hears none:
   * a runtime without events is only compared at each resync.
   *
   * A stream that ends (the engine restarted, a connection dropped) is subscribed again, with
   * growing pauses while the engine does not answer, until the handle is closed; {@code missed}
   * is told each time it is back, since events may have been lost in between.
   *
   * @param owner the state directory's owner label: only its containers are heard
   * @param missed told when the stream is back after a gap: compare everything again
   */
  default AutoCloseable events(
      HostSpec host, String owner, Consumer<ContainerEvent> listener, Runnable missed)
      throws ProviderException {
    return () -> {};
  }

  /** @param action e.g. die, start, destroy, health_status: healthy */
  record ContainerEvent(ResourceId id, String containerId, String action) {}

  /**
   * @param env the container's environment as the engine holds it (the image's variables too)
   * @param command its command as the engine holds it
   * @param startedAt when it was last started
   * @param restarts how often the engine restarted it by its restart policy
   */
  record RunningConfig(
      Map<String, String> env, List<String> command, Instant startedAt, int restarts) {
    public RunningConfig {
      env = Map.copyOf(env);
      command = List.copyOf(command);
    }

    @Override
    public String toString() {
      return "RunningConfig[env hidden, started " + startedAt + ", restarts " + restarts + "]";
    }
  }

  /**
   * What to start.
   *
   * @param hostPort the loopback port to publish the container's port on, when it has one
   * @param env resolved values: secrets included, so never printed or stored elsewhere
   * @param owner the id of the state directory the container belongs to (a label)
   * @param named whether it takes its names on its network at once (a first start, a recreate), or
   *     only when {@link #moveNames} gives them (a blue-green slot, once it is healthy)
   */
  record SlotLaunch(
      DesiredContainer container,
      String slot,
      OptionalInt hostPort,
      Map<String, String> env,
      String owner,
      boolean named) {
    public SlotLaunch {
      env = Map.copyOf(env);
    }

    public SlotLaunch(
        DesiredContainer container,
        String slot,
        OptionalInt hostPort,
        Map<String, String> env,
        String owner) {
      this(container, slot, hostPort, env, owner, true);
    }

    @Override
    public String toString() {
      return "SlotLaunch[" + container.id() + " slot " + slot + ", env hidden]";
    }
  }

  /** A started slot. */
  record RunningSlot(
      ResourceId id, String containerId, String name, String slot, OptionalInt hostPort) {
    public Optional<String> address() {
      return hostPort.isPresent()
          ? Optional.of("127.0.0.1:" + hostPort.getAsInt())
          : Optional.empty();
    }
  }
}
