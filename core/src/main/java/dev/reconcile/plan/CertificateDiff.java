package dev.reconcile.plan;

import dev.reconcile.desired.DesiredCertificate;
import dev.reconcile.observed.ObservedCertificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The change for one declared certificate: obtain it when there is none; renew it when its names
 * or its source changed or it expires within the renewal window (counted from when it was
 * observed); else nothing, so a valid certificate is never ordered again.
 */
final class CertificateDiff {
  private CertificateDiff() {}

  static Change of(DesiredCertificate desired, Optional<ObservedCertificate> found) {
    if (found.isEmpty()) {
      return change(
          desired,
          Action.CREATE,
          found,
          List.of(Reason.of(
              "certificate",
              (desired.source() instanceof DesiredCertificate.Source.Acme
                      ? "obtain from "
                      : "install from ")
                  + desired.origin() + " for " + String.join(", ", desired.domains()))));
    }
    var certificate = found.get();
    var reasons = new ArrayList<Reason>();
    domainReason(desired.domains(), certificate.domains()).ifPresent(reasons::add);
    if (!certificate.specHash().equals(desired.specHash()) && reasons.isEmpty()) {
      reasons.add(Reason.of(
          "source",
          switch (desired.source()) {
            case DesiredCertificate.Source.Files f ->
              "the certificate file " + f.certificate() + " is not the one installed";
            case DesiredCertificate.Source.Acme a ->
              "to be obtained from " + desired.origin()
                  + " (the installed one came from elsewhere)";
          }));
    }
    expiryReason(desired, certificate).ifPresent(reasons::add);
    return change(desired, reasons.isEmpty() ? Action.NOOP : Action.UPDATE, found, reasons);
  }

  /** {@code domains changed: + shop.example.com, - old.example.com}, or nothing. */
  static Optional<Reason> domainReason(List<String> wanted, List<String> covered) {
    var added = new TreeSet<>(wanted);
    covered.forEach(added::remove);
    var removed = new TreeSet<>(covered);
    wanted.forEach(removed::remove);
    if (added.isEmpty() && removed.isEmpty()) {
      return Optional.empty();
    }
    var parts = new ArrayList<String>();
    added.forEach(d -> parts.add("+ " + d));
    removed.forEach(d -> parts.add("- " + d));
    return Optional.of(Reason.of("domains", "domains changed: " + String.join(", ", parts)));
  }

  /** Within the renewal window: {@code expires 2026-12-20, in 20 days}. */
  static Optional<Reason> expiryReason(DesiredCertificate desired, ObservedCertificate found) {
    var left = Duration.between(found.observedAt(), found.notAfter());
    if (left.compareTo(desired.renewBefore()) > 0) {
      return Optional.empty();
    }
    var date = found.notAfter().atZone(ZoneOffset.UTC).toLocalDate();
    var days = left.toDays();
    var text = left.isNegative()
        ? "expired " + date + ", " + plural(-days) + " ago"
        : "expires " + date + ", in " + plural(days);
    return Optional.of(Reason.of(
        "expiry",
        text + " (renewed within " + desired.renewBefore().toDays() + " days of expiry)"));
  }

  private static String plural(long days) {
    return days == 1 ? "1 day" : days + " days";
  }

  private static Change change(
      DesiredCertificate desired,
      Action action,
      Optional<ObservedCertificate> found,
      List<Reason> reasons) {
    return new Change(
        desired.id(),
        action,
        Optional.empty(),
        found.map(ObservedCertificate::specHash),
        Optional.of(desired.specHash()),
        Optional.empty(),
        reasons,
        TrafficImpact.NONE,
        List.of());
  }
}
