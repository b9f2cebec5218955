package dev.reconcile.traffic;

import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/** The access logs of a front door's sites: summaries, and rotation so they never fill its disk. */
public final class AccessLogs {
  /** The window status and the controller's metrics report. */
  public static final Duration WINDOW = Duration.ofMinutes(5);

  private AccessLogs() {}

  public static AccessLog of(FrontDoor door, ResourceId site) {
    return new AccessLog(door.host(), door.accessLog(site));
  }

  /** A site's requests over the last {@link #WINDOW}; empty when its log cannot be read. */
  public static Optional<Traffic> recent(FrontDoor door, ResourceId site, Instant now) {
    try {
      return Optional.of(Traffic.of(of(door, site).recent(), now, WINDOW, r -> true));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Rotates the logs of these sites that passed {@link AccessLog#MAX_BYTES} and has nginx reopen
   * its logs when any was; what it could not do, in words (the logs stay as they are).
   */
  public static Optional<String> keepSmall(
      FrontDoor door, SiteControl sites, Collection<ResourceId> of) {
    var rotated = false;
    try {
      for (var site : of) {
        rotated |= of(door, site).rotateIfLarge();
      }
      if (rotated) {
        sites.reopenLogs(door);
      }
      return Optional.empty();
    } catch (IOException | ProviderException e) {
      return Optional.of("rotating the access logs of " + door.describe() + ": " + e.getMessage());
    }
  }
}
