package dev.reconcile.model;

import java.time.Duration;
import java.util.Optional;

/**
 * HTTPS for the platform: where certificates come from when a project says {@code tls: auto},
 * how early they are renewed, and how long browsers are told to insist on HTTPS.
 *
 * @param renewBefore a certificate this close to its expiry is renewed by the next apply
 * @param hstsMaxAge the {@code Strict-Transport-Security} max-age; zero sends no such header
 */
public record TlsSettings(Optional<Acme> acme, Duration renewBefore, Duration hstsMaxAge) {
  public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofDays(30);
  public static final Duration DEFAULT_HSTS_MAX_AGE = Duration.ofDays(365);
  public static final TlsSettings NONE =
      new TlsSettings(Optional.empty(), DEFAULT_RENEW_BEFORE, DEFAULT_HSTS_MAX_AGE);

  /**
   * An RFC 8555 certificate authority.
   *
   * @param directory the CA's directory URL, e.g. Let's Encrypt's
   * @param caBundle PEM file of extra CAs to trust (a private or test CA), relative to projects.yml
   */
  public record Acme(String directory, Optional<String> email, Optional<String> caBundle) {
    public static final String LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";
    public static final String LETS_ENCRYPT_STAGING =
        "https://acme-staging-v02.api.letsencrypt.org/directory";
  }
}
