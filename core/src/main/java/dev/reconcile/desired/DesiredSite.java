package dev.reconcile.desired;

import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.util.List;
import java.util.Optional;

/**
 * The nginx server blocks of one project environment: one per domain, routing each path to its
 * container. Depends on those containers, which must be running before traffic is sent to them.
 *
 * @param snippet the project's nginx snippet, included in each server block (its hash is in the
 *     fingerprint)
 */
public record DesiredSite(
    ResourceId id,
    SiteFingerprint fingerprint,
    String specHash,
    List<ResourceId> dependsOn,
    Optional<Snippet> snippet)
    implements DesiredResource {

  /**
   * @param path as projects.yml names it
   * @param text its contents; empty when it cannot be read where the plan runs (apply refuses)
   */
  public record Snippet(String path, Optional<String> text) {
    /** What the fingerprint holds: the text's SHA-256, or that it could not be read. */
    public String digest() {
      return text.map(SpecHash::sha256).orElse("unreadable");
    }
  }

  public DesiredSite {
    dependsOn = List.copyOf(dependsOn);
  }

  public DesiredSite(
      ResourceId id, SiteFingerprint fingerprint, String specHash, List<ResourceId> dependsOn) {
    this(id, fingerprint, specHash, dependsOn, Optional.empty());
  }
}
