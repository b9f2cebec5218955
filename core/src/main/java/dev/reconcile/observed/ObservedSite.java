package dev.reconcile.observed;

import dev.reconcile.desired.SiteFingerprint;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.util.OrderedMaps;
import java.util.Map;
import java.util.Optional;

/**
 * An nginx site file that carries the tool's header, and what nginx serves for it.
 *
 * @param upstreams component -> the loopback address the file sends its traffic to
 * @param contentHash the hash of the file's body as it is now
 * @param editedOutside whether the body no longer matches the hash in its header
 * @param revision the revision the file answers once nginx loaded it; empty for a file without
 * @param serving what nginx answers for the site now: the truth about where traffic goes
 * @param routedLive whether the file's upstreams are routed live: a switch of slots then changes
 *     nginx's routes without a reload
 * @param rendersAs the content hash of the file the front door would write today, rendered from
 *     its declaration and these upstreams (the providers and plugins installed now); empty when
 *     not asked (not declared, declared otherwise, edited by hand, or outside the selection)
 */
public record ObservedSite(
    ResourceId id,
    String path,
    String specHash,
    Optional<SiteFingerprint> recorded,
    Map<String, String> upstreams,
    String contentHash,
    boolean editedOutside,
    Optional<String> revision,
    Serving serving,
    boolean routedLive,
    Optional<String> rendersAs)
    implements ObservedResource {

  public ObservedSite {
    upstreams = OrderedMaps.copyOf(upstreams);
    // Absent in observed states written before it was asked.
    rendersAs = rendersAs == null ? Optional.empty() : rendersAs;
  }

  public ObservedSite withServing(Serving now) {
    return with(now, rendersAs);
  }

  public ObservedSite withRendering(Optional<String> now) {
    return with(serving, now);
  }

  private ObservedSite with(Serving serving, Optional<String> rendersAs) {
    return new ObservedSite(
        id,
        path,
        specHash,
        recorded,
        upstreams,
        contentHash,
        editedOutside,
        revision,
        serving,
        routedLive,
        rendersAs);
  }

  /**
   * Whether the front door would write another file for the same declaration today: reconcile was
   * upgraded, or a plugin that renders sites was added, removed or changed.
   */
  public boolean rendersDifferently() {
    return !editedOutside && rendersAs.filter(r -> !r.equals(contentHash)).isPresent();
  }

  /**
   * Where traffic of a component goes: as served when nginx answered, else as the file says
   * (nginx down or not asked: the file is what it will serve once started).
   */
  public Optional<String> routedUpstream(String component) {
    var served = serving instanceof Serving.Serves s ? s.upstreams() : upstreams;
    return Optional.ofNullable(served.get(component));
  }

  /** Whether nginx serves exactly this file. */
  public boolean servesThisFile() {
    return serving instanceof Serving.Serves s
        && revision.filter(s.revision()::equals).isPresent();
  }

  @Override
  public String digestLine() {
    return String.join(" ", id.toString(), path, specHash, contentHash, serving.describe())
        + (rendersDifferently() ? " renders-as " + rendersAs.orElseThrow() : "");
  }
}
