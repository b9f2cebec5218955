package dev.reconcile.providers.tls;

import dev.reconcile.desired.DesiredCertificate;
import dev.reconcile.desired.DesiredResource;
import dev.reconcile.host.Host;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.TrafficImpact;
import dev.reconcile.provider.ApplyRequest;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderContract;
import dev.reconcile.resource.ResourceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * The provider contract for certificates on a front door of the test's own: installed from files
 * made with openssl (a CA order needs nginx and a CA, which HttpsIT has).
 */
public abstract class CertificateContract extends ProviderContract {
  static final String DOMAIN = "rcct.test";
  // One moment for the whole test: two observations must be equal.
  private final CertificateProvider provider =
      new CertificateProvider(InstantSource.fixed(Instant.now()));

  /** The host the front door is on. */
  protected abstract Host host();

  /** An empty folder on that host for the front door's state. */
  protected abstract Path state();

  /** A folder of this machine for the certificate files the spec would name. */
  protected abstract Path files();

  @Override
  protected Provider provider() {
    return provider;
  }

  @Override
  protected ObserveTarget target() {
    return new FrontDoor(host(), NginxSettings.Managed.DEFAULT, state(), state().resolve("sites"));
  }

  /** A certificate and key for {@link #DOMAIN}, 0600, made once per test. */
  static DesiredCertificate fromFiles(Path files) throws Exception {
    var key = files.resolve("key.pem");
    var certificate = files.resolve("cert.pem");
    if (!Files.exists(certificate)) {
      var made = new ProcessBuilder(
              "openssl",
              "req",
              "-x509",
              "-newkey",
              "ec",
              "-pkeyopt",
              "ec_paramgen_curve:prime256v1",
              "-nodes",
              "-keyout",
              key.toString(),
              "-out",
              certificate.toString(),
              "-days",
              "90",
              "-subj",
              "/CN=" + DOMAIN,
              "-addext",
              "subjectAltName=DNS:" + DOMAIN)
          .redirectErrorStream(true)
          .start();
      var output = new String(made.getInputStream().readAllBytes());
      if (made.waitFor() != 0) {
        throw new IllegalStateException("openssl: " + output);
      }
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }
    return DesiredCertificate.of(
        ResourceId.certificate("rcct", "production"),
        "local",
        List.of(DOMAIN),
        new DesiredCertificate.Source.Files(
            certificate.toString(),
            key.toString(),
            Optional.of(dev.reconcile.resource.SpecHash.sha256(Files.readString(certificate)))),
        Duration.ofDays(30));
  }

  @Override
  protected ResourceId make() throws Exception {
    var desired = fromFiles(files());
    var change = new Change(
        desired.id(),
        Action.CREATE,
        Optional.empty(),
        Optional.empty(),
        Optional.of(desired.specHash()),
        Optional.empty(),
        List.of(),
        TrafficImpact.NONE,
        List.of());
    provider.apply(
        new ApplyRequest(target(), change, Optional.of(desired), Optional.empty(), owner()));
    return desired.id();
  }

  @Override
  protected Optional<DesiredResource> creatable() {
    try {
      return Optional.of(fromFiles(files()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected String owner() {
    return "test";
  }
}
