package dev.reconcile.observed;

import dev.reconcile.resource.ResourceId;
import java.time.Instant;
import java.util.List;

/**
 * A certificate file the tool installed for a front door, as read back: what the certificate
 * itself says (names, expiry), not what was meant to be installed.
 *
 * @param specHash recorded when it was installed; empty when the file carries no record
 * @param domains the names the certificate covers (its subject alternative names)
 * @param fingerprint SHA-256 of the certificate (public): tells one issue from the next
 * @param observedAt when it was read: the plan says "expires in N days" from this moment
 */
public record ObservedCertificate(
    ResourceId id,
    String path,
    String specHash,
    List<String> domains,
    Instant notAfter,
    String issuer,
    String fingerprint,
    Instant observedAt)
    implements ObservedResource {

  public ObservedCertificate {
    domains = List.copyOf(domains);
  }

  /** Without {@link #observedAt}: a plan saved a minute ago still matches what is there. */
  @Override
  public String digestLine() {
    return String.join(" ", id.toString(), path, specHash, fingerprint);
  }
}
