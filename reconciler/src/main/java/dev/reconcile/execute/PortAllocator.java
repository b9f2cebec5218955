package dev.reconcile.execute;

import dev.reconcile.model.PortRange;
import dev.reconcile.provider.ContainerRuntime.RunningSlot;
import dev.reconcile.provider.ProviderException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Picks loopback ports for new slots from {@code platform.ports}: not published by any container
 * on the host, not handed out earlier in this run, and free to bind right now. Picking and
 * starting the container that publishes the port happen under one lock shared by every process
 * of the state directory: two applies never pick the same free port.
 */
final class PortAllocator {
  private final PortRange range;
  private final Set<Integer> taken;
  private final FileLock lock;

  PortAllocator(PortRange range, Set<Integer> published, FileLock lock) {
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
    try (var held = lock.hold()) {
      var port = next();
      return port.isEmpty() ? Optional.empty() : Optional.of(launch.start(port));
    }
  }

  synchronized OptionalInt next() {
    for (int port = range.first(); port <= range.last(); port++) {
      if (!taken.contains(port) && bindable(port)) {
        taken.add(port);
        return OptionalInt.of(port);
      }
    }
    return OptionalInt.empty();
  }

  private static boolean bindable(int port) {
    try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
