package dev.reconcile.execute;

import dev.reconcile.model.PortRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Picks loopback ports for new slots from {@code platform.ports}: not published by any container
 * on the host, not handed out earlier in this run, and free to bind right now.
 */
final class PortAllocator {
  private final PortRange range;
  private final Set<Integer> taken;

  PortAllocator(PortRange range, Set<Integer> published) {
    this.range = range;
    this.taken = new HashSet<>(published);
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
