package dev.reconcile.execute;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks of the machine before an apply changes anything. */
final class Preflight {
  /** Below this, images, logs and snapshots may no longer fit: refuse rather than fail midway. */
  static final long MIN_FREE_BYTES = 1L << 30;

  private Preflight() {}

  /** Free space where the state lives and where the local Docker engine keeps its data. */
  static List<String> disk(Path stateDir) {
    var problems = new ArrayList<String>();
    for (var place : List.of(existing(stateDir), Path.of("/var/lib/docker"))) {
      try {
        if (Files.exists(place)) {
          var free = Files.getFileStore(place).getUsableSpace();
          if (free < MIN_FREE_BYTES) {
            problems.add("only " + free / (1 << 20) + " MiB free on the disk of " + place
                + " (at least " + MIN_FREE_BYTES / (1 << 20) + " MiB needed; docker system prune frees some)");
          }
        }
      } catch (IOException e) {
        problems.add("cannot tell the free space of " + place + ": " + e.getMessage());
      }
    }
    return problems;
  }

  private static Path existing(Path path) {
    var p = path.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? Path.of("/") : p;
  }
}
