package dev.reconcile.observed;

import dev.reconcile.desired.SiteFingerprint;
import dev.reconcile.util.OrderedMaps;
import dev.reconcile.resource.ResourceId;
import java.util.Map;
import java.util.Optional;

/**
 * An nginx site file that carries the tool's header.
 *
 * @param upstreams component -> the loopback address the file sends its traffic to
 * @param contentHash the hash of the file's body as it is now
 * @param editedOutside whether the body no longer matches the hash in its header
 */
public record ObservedSite(
    ResourceId id,
    String path,
    String specHash,
    Optional<SiteFingerprint> recorded,
    Map<String, String> upstreams,
    String contentHash,
    boolean editedOutside)
    implements ObservedResource {

  public ObservedSite {
    upstreams = OrderedMaps.copyOf(upstreams);
  }

  @Override
  public String digestLine() {
    return String.join(" ", id.toString(), path, specHash, contentHash);
  }
}
