package dev.reconcile.history;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Keeps snapshots per project environment, newest last, at most a set number. */
public interface SnapshotStore {
  /** The snapshots of an environment, oldest first. */
  List<Snapshot> list(String project, String environment) throws IOException;

  /** The newest snapshot of an environment, reading only that one. */
  Optional<Snapshot> latest(String project, String environment) throws IOException;

  /**
   * The environments with snapshots, as {@code project/environment}, sorted: those no longer
   * declared too, whose history stays.
   */
  List<String> environments() throws IOException;

  /** Saves one; older ones beyond the kept number are removed. */
  void save(Snapshot snapshot) throws IOException;
}
