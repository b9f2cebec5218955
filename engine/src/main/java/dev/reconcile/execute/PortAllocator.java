package dev.reconcile.execute;

import dev.reconcile.host.Host;
import dev.reconcile.model.PortRange;
import dev.reconcile.provider.ContainerRuntime.RunningSlot;
import dev.reconcile.provider.ProviderException;
import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Picks loopback ports for new slots from {@code platform.ports}: not published by any container
 * on the host, not handed out earlier in this run, and free on the host right now. Picking and
 * starting the container that publishes the port happen under a lock between the processes of
 * the state directory (two applies never pick the same free port), which the threads of one
 * apply share, so its environments start their containers at once.
 */
final class PortAllocator {
  private final Host host;
  private final PortRange range;
  private final Set<Integer> taken;
  private final ProcessLock lock;

  PortAllocator(Host host, PortRange range, Set<Integer> published, ProcessLock lock) {
    this.host = host;
    this.range = range;
    this.taken = new HashSet<>(published);
    this.lock = lock;
  }

  /** Starts a container on a port of its own (routed) or none; empty when no port is free. */
  interface Launch {
    RunningSlot start(OptionalInt port) throws ProviderException;
  }

  Optional<RunningSlot> launch(boolean routed, Launch launch) throws ProviderException {
    if (!routed) {
      return Optional.of(launch.start(OptionalInt.empty()));
    }
    // Threads of this apply pick distinct ports (next is synchronized) and start side by side;
    // another apply waits until every start of this one has published its port.
    try (var held = lock.enter()) {
      var port = next();
      return port.isEmpty() ? Optional.empty() : Optional.of(launch.start(port));
    }
  }

  synchronized OptionalInt next() throws ProviderException {
    for (int port = range.first(); port <= range.last(); port++) {
      if (!taken.contains(port) && bindable(port)) {
        taken.add(port);
        return OptionalInt.of(port);
      }
    }
    return OptionalInt.empty();
  }

  private boolean bindable(int port) throws ProviderException {
    try {
      return host.portFree(port);
    } catch (IOException e) {
      throw new ProviderException.Transient("host " + host.name(), "cannot tell whether port " + port
          + " is free: " + e.getMessage(), "check the connection to the host", e);
    }
  }
}
