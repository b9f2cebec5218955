package dev.reconcile.execute;

import dev.reconcile.engine.Hosts;
import dev.reconcile.host.Host;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Checks of the hosts before an apply changes anything. */
final class Preflight {
  /** Below this, images, logs and snapshots may no longer fit: refuse rather than fail midway. */
  static final long MIN_FREE_BYTES = 1L << 30;

  /** Where a Docker engine keeps images and containers. */
  static final Path DOCKER_DATA = Path.of("/var/lib/docker");

  private Preflight() {}

  /** Free space on the host's disk that holds {@code place}; one line per problem. */
  static List<String> disk(Host host, Path place) {
    try {
      var free = host.freeBytes(place);
      if (free.isPresent() && free.getAsLong() < MIN_FREE_BYTES) {
        return List.of("only " + free.getAsLong() / (1 << 20) + " MiB free on the disk of " + place
            + on(host) + " (at least " + MIN_FREE_BYTES / (1 << 20)
            + " MiB needed; docker system prune frees some)");
      }
      return List.of();
    } catch (IOException e) {
      return List.of("cannot tell the free space of " + place + on(host) + ": " + e.getMessage());
    }
  }

  private static String on(Host host) {
    return host.name().equals(Hosts.THIS_MACHINE) ? "" : " on host " + host.name();
  }
}
