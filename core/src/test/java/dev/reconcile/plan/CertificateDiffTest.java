package dev.reconcile.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.desired.DesiredCertificate;
import dev.reconcile.observed.ObservedCertificate;
import dev.reconcile.resource.ResourceId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a certificate is obtained, renewed or left alone: counted from the moment it was observed. */
class CertificateDiffTest {
  private static final ResourceId ID = ResourceId.certificate("shop", "production");
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final DesiredCertificate.Source ACME =
      new DesiredCertificate.Source.Acme("https://ca.test/dir", Optional.empty(), Optional.empty());

  private static DesiredCertificate desired(List<String> domains) {
    return DesiredCertificate.of(ID, "local", domains, ACME, Duration.ofDays(30));
  }

  private static ObservedCertificate found(
      DesiredCertificate desired, List<String> names, Instant notAfter) {
    return new ObservedCertificate(
        ID,
        "/state/tls/shop.production.pem",
        desired.specHash(),
        names,
        notAfter,
        "CN=test CA",
        "ab12",
        NOW);
  }

  @Test
  void none_isObtained() {
    var change = CertificateDiff.of(desired(List.of("shop.example.com")), Optional.empty());

    assertThat(change.action()).isEqualTo(Action.CREATE);
    assertThat(change.reasons())
        .extracting(Reason::text)
        .containsExactly("obtain from the CA at https://ca.test/dir for shop.example.com");
  }

  @Test
  void valid_outsideTheWindow_isLeftAlone() {
    var desired = desired(List.of("shop.example.com"));

    var change = CertificateDiff.of(
        desired,
        Optional.of(found(desired, List.of("shop.example.com"), NOW.plus(Duration.ofDays(31)))));

    assertThat(change.action()).isEqualTo(Action.NOOP);
  }

  @Test
  void insideTheWindow_isRenewed_sayingWhen() {
    var desired = desired(List.of("shop.example.com"));

    var change = CertificateDiff.of(
        desired,
        Optional.of(
            found(desired, List.of("shop.example.com"), Instant.parse("2026-12-20T12:00:00Z"))));

    assertThat(change.action()).isEqualTo(Action.UPDATE);
    assertThat(change.reasons())
        .extracting(Reason::text)
        .containsExactly("expires 2026-12-20, in 20 days (renewed within 30 days of expiry)");
  }

  @Test
  void expired_saysSo() {
    var desired = desired(List.of("shop.example.com"));

    var change = CertificateDiff.of(
        desired,
        Optional.of(found(desired, List.of("shop.example.com"), NOW.minus(Duration.ofDays(1)))));

    assertThat(change.reasons())
        .extracting(Reason::text)
        .containsExactly("expired 2026-11-29, 1 day ago (renewed within 30 days of expiry)");
  }

  @Test
  void domainsChanged_namesWhatWasAddedAndRemoved() {
    var before = desired(List.of("shop.example.com", "old.example.com"));
    var now = desired(List.of("shop.example.com", "new.example.com"));

    var change = CertificateDiff.of(
        now,
        Optional.of(found(
            before,
            List.of("shop.example.com", "old.example.com"),
            NOW.plus(Duration.ofDays(60)))));

    assertThat(change.action()).isEqualTo(Action.UPDATE);
    assertThat(change.reasons())
        .extracting(Reason::text)
        .containsExactly("domains changed: + new.example.com, - old.example.com");
  }

  @Test
  void aRenewedFile_isInstalledAgain() {
    var file = new DesiredCertificate.Source.Files(
        "/srv/cert.pem", "/srv/key.pem", Optional.of("digest-2"));
    var installed = DesiredCertificate.of(
        ID,
        "local",
        List.of("shop.example.com"),
        new DesiredCertificate.Source.Files(
            "/srv/cert.pem", "/srv/key.pem", Optional.of("digest-1")),
        Duration.ofDays(30));
    var desired =
        DesiredCertificate.of(ID, "local", List.of("shop.example.com"), file, Duration.ofDays(30));

    var change = CertificateDiff.of(
        desired,
        Optional.of(found(installed, List.of("shop.example.com"), NOW.plus(Duration.ofDays(60)))));

    assertThat(change.reasons())
        .extracting(Reason::text)
        .containsExactly("the certificate file /srv/cert.pem is not the one installed");
  }
}
