package dev.reconcile.model;

import java.util.List;
import java.util.Optional;

/** What to back up and when; volumes name volumes declared by the project's containers. */
public record BackupPolicy(
    boolean beforeDeploy, List<String> volumes, int keep, Optional<String> schedule) {
  public static final int DEFAULT_KEEP = 10;

  public BackupPolicy {
    volumes = List.copyOf(volumes);
  }
}
