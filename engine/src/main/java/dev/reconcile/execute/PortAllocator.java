package dev.reconcile.execute;

import dev.reconcile.host.Host;
import dev.reconcile.model.PortRange;
import dev.reconcile.provider.ContainerRuntime.PortTaken;
import dev.reconcile.provider.ContainerRuntime.RunningSlot;
import dev.reconcile.provider.ProviderException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks loopback ports for new slots from {@code platform.ports}: not published by any container
 * on the host, not handed out earlier in this run, and free on the host right now. Picking and
 * starting the container that publishes the port happen under a lock between the processes of
 * the state directory (two applies never pick the same free port), which the threads of one
 * apply share, so its environments start their containers at once. A port can still be taken
 * between the check and the start (by a process of the host, or an engine not under the lock):
 * the start then moves to another free port, a few times, instead of failing the apply.
 */
final class PortAllocator {
  private final Host host;
  private final PortRange range;
  private final Set<Integer> taken;
  private final ProcessLock lock;
  static final int STARTS = 5;

  PortAllocator(Host host, PortRange range, Set<Integer> published, ProcessLock lock) {
    this.host = host;
    this.range = range;
    this.taken = new HashSet<>(published);
    this.lock = lock;
  }

  /** Starts a container on a port of its own (routed) or none; empty when no port is free. */
  interface Launch {
    RunningSlot start(OptionalInt port) throws ProviderException, PortTaken;
  }

  Optional<RunningSlot> launch(boolean routed, Launch launch) throws ProviderException {
    if (!routed) {
      return Optional.of(startUnpublished(launch));
    }
    // Threads of this apply pick distinct ports (next is synchronized) and start side by side;
    // another apply waits until every start of this one has published its port.
    try (var held = lock.enter()) {
      var taken = new ArrayList<String>();
      for (var attempt = 0; attempt < STARTS; attempt++) {
        var port = next();
        if (port.isEmpty()) {
          return Optional.empty();
        }
        try {
          return Optional.of(launch.start(port));
        } catch (PortTaken e) {
          // next() never hands it out again: it is in taken.
          taken.add(e.getMessage());
        }
      }
      throw new ProviderException.Transient(
          "host " + host.name(),
          STARTS + " ports in a row were " + "taken between the check and the start: "
              + String.join("; ", taken),
          "something on the host is binding ports in platform.ports " + range
              + "; move platform.ports away from it",
          null);
    }
  }

  private static RunningSlot startUnpublished(Launch launch) throws ProviderException {
    try {
      return launch.start(OptionalInt.empty());
    } catch (PortTaken e) {
      throw new IllegalStateException(
          "a container that publishes no port reported its port taken", e);
    }
  }

  /**
   * A free port, looked for from a random place in the range: state directories that share an
   * engine (a second checkout, servers in front of one engine) hold no common lock, and all
   * scanning from the range's start made each start collide with the others' (ten at once ran
   * out of tries).
   */
  synchronized OptionalInt next() throws ProviderException {
    var size = range.last() - range.first() + 1;
    var from = ThreadLocalRandom.current().nextInt(size);
    for (var i = 0; i < size; i++) {
      var port = range.first() + (from + i) % size;
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
      throw new ProviderException.Transient(
          "host " + host.name(),
          "cannot tell whether port " + port + " is free: " + e.getMessage(),
          "check the connection to the host",
          e);
    }
  }
}
