package dev.reconcile.model;

import java.util.List;
import java.util.Optional;

/**
 * What to back up and when; volumes name volumes declared by the project's containers.
 *
 * @param keep the newest backups kept per project environment
 * @param keepDaily also the newest backup of each of the last N days that have one (0: none)
 * @param keepWeekly likewise per ISO week
 * @param keepMonthly likewise per month
 * @param databases dumped into every backup, in projects.yml order
 */
public record BackupPolicy(
    boolean beforeDeploy,
    List<String> volumes,
    int keep,
    Optional<String> schedule,
    int keepDaily,
    int keepWeekly,
    int keepMonthly,
    List<DatabaseDump> databases) {
  public static final int DEFAULT_KEEP = 10;

  public BackupPolicy {
    volumes = List.copyOf(volumes);
    databases = List.copyOf(databases);
  }

  public BackupPolicy(
      boolean beforeDeploy,
      List<String> volumes,
      int keep,
      Optional<String> schedule,
      int keepDaily,
      int keepWeekly,
      int keepMonthly) {
    this(beforeDeploy, volumes, keep, schedule, keepDaily, keepWeekly, keepMonthly, List.of());
  }

  public BackupPolicy(
      boolean beforeDeploy, List<String> volumes, int keep, Optional<String> schedule) {
    this(beforeDeploy, volumes, keep, schedule, 0, 0, 0);
  }

  /** Only a count, as for projects without a backup policy. */
  public static BackupPolicy keeping(int keep) {
    return new BackupPolicy(false, List.of(), keep, Optional.empty());
  }
}
