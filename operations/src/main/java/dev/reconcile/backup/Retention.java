package dev.reconcile.backup;

import dev.reconcile.backup.Backups.BackupFailed;
import dev.reconcile.engine.Layout;
import dev.reconcile.history.BackupManifest;
import dev.reconcile.model.BackupPolicy;
import dev.reconcile.model.CronSchedule;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.provider.ProviderException;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which backups are kept and which pruned, under a policy (backup.keep, keep_daily, keep_weekly,
 * keep_monthly) and the snapshots that still name them; and when a scheduled backup is due.
 */
public final class Retention {
  private final PlatformSpec spec;
  private final BackupStore store;
  private final Layout layout;
  private final Backups backups;

  Retention(Backups backups) {
    this.backups = backups;
    this.spec = backups.spec;
    this.store = backups.store;
    this.layout = backups.layout;
  }

  /**
   * Why each backup of an environment is kept: the newest always; the newest {@code keep}; and
   * any that a snapshot still in the history names (the backup taken before that deploy, which a
   * rollback to it may need). Backups not in the answer are not kept.
   */
  public Map<String, String> keptBecause(String project, String environment, int keep)
      throws IOException {
    return keptBecause(project, environment, BackupPolicy.keeping(keep));
  }

  /**
   * Why each backup of an environment is kept under a policy: {@link #keptBecause(String, String,
   * int)}, and the newest of each of the last {@code keep_daily} days, {@code keep_weekly} ISO
   * weeks and {@code keep_monthly} months that have a backup (UTC).
   */
  public Map<String, String> keptBecause(String project, String environment, BackupPolicy policy)
      throws IOException {
    var out = keptByCount(project, environment, policy.keep());
    var all = backups.list(project, environment);
    keepNewestPer(all, policy.keepDaily(), "day", t -> t.toLocalDate().toString(), out);
    keepNewestPer(
        all,
        policy.keepWeekly(),
        "week",
        t -> t.get(IsoFields.WEEK_BASED_YEAR) + "-W"
            + String.format("%02d", t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
        out);
    keepNewestPer(
        all,
        policy.keepMonthly(),
        "month",
        t -> t.getYear() + "-" + String.format("%02d", t.getMonthValue()),
        out);
    return out;
  }

  /** The newest backup of each of the newest {@code n} periods that have one. */
  static void keepNewestPer(
      List<BackupManifest> newestFirst,
      int n,
      String period,
      Function<ZonedDateTime, String> periodOf,
      Map<String, String> out) {
    var seen = new HashSet<String>();
    for (var manifest : newestFirst) {
      if (seen.size() >= n) {
        return;
      }
      ZonedDateTime created;
      try {
        created = Instant.parse(manifest.created()).atZone(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        continue;
      }
      var key = periodOf.apply(created);
      if (seen.add(key)) {
        out.putIfAbsent(
            manifest.id(),
            "the newest of " + period + " " + key + " (keep_"
                + switch (period) {
                  case "day" -> "daily";
                  case "week" -> "weekly";
                  default -> "monthly";
                }
                + " " + n + ")");
      }
    }
  }

  private Map<String, String> keptByCount(String project, String environment, int keep)
      throws IOException {
    var referenced = new HashMap<String, Integer>();
    for (var snapshot : layout.snapshots(spec.platform().history()).list(project, environment)) {
      snapshot.backupId().ifPresent(id -> referenced.merge(id, snapshot.serial(), Math::max));
    }
    var out = new LinkedHashMap<String, String>();
    var all = backups.list(project, environment);
    for (int i = 0; i < all.size(); i++) {
      var id = all.get(i).id();
      if (i == 0) {
        out.put(id, "the newest");
      } else if (i < keep) {
        out.put(id, "one of the newest " + keep + " (backup.keep)");
      } else if (referenced.containsKey(id)) {
        out.put(id, "snapshot #" + referenced.get(id) + " names it");
      }
    }
    return out;
  }

  /** Deletes the backups of an environment that {@link #keptBecause} does not keep; returns them. */
  public List<BackupManifest> prune(String project, String environment, int keep)
      throws IOException {
    return prune(project, environment, BackupPolicy.keeping(keep));
  }

  public List<BackupManifest> prune(String project, String environment, BackupPolicy policy)
      throws IOException {
    var kept = keptBecause(project, environment, policy);
    var gone = new ArrayList<BackupManifest>();
    for (var manifest : backups.list(project, environment)) {
      // A backup whose local delete failed stays whole, its copies and images too.
      if (!kept.containsKey(manifest.id())
          && (!backups.local(manifest) || store.delete(manifest))
          && backups.shared().map(copy -> deleted(copy, manifest)).orElse(true)) {
        gone.add(manifest);
      }
    }
    // The off-site copies of what went go too; a copy whose fleet one was lost stays.
    var offSite = backups.target();
    if (offSite.isPresent()) {
      for (var manifest : gone) {
        offSite.get().delete(manifest);
      }
    }
    // And the image tags each kept: only the tag goes, an image still in use stays.
    var projectSpec = spec.projects().get(project);
    if (projectSpec != null) {
      for (var manifest : gone) {
        for (var image : manifest.images()) {
          try {
            backups.archives().forgetImage(backups.host(projectSpec), image.tag());
          } catch (ProviderException | BackupFailed e) {
            // Left as it is: a tag takes no space of its own, and `docker images
            // reconcile-backup/*`
            // shows it.
          }
        }
      }
    }
    return gone;
  }

  /**
   * Whether a scheduled backup is due: the schedule fired after the newest backup (or, with none,
   * at all in the last year) and at or before {@code now}.
   */
  public static boolean due(CronSchedule schedule, Optional<Instant> newest, Instant now) {
    return schedule.lastFiring(newest.orElse(Instant.EPOCH), now).isPresent();
  }

  /** Deletes the state home's copy; false when it could not be (still listed, whole: the next prune). */
  private static boolean deleted(OffSite copy, BackupManifest manifest) {
    try {
      copy.delete(manifest);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
