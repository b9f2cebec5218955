package dev.reconcile.providers.tls;

import dev.reconcile.desired.DesiredCertificate;
import dev.reconcile.observed.ObservedCertificate;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.provider.ApplyRequest;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.ObservedBatch;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.Provider;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.providers.nginx.Challenges;
import dev.reconcile.resource.ResourceKind;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Certificates of a front door, one file per project environment in its {@code tls} folder
 * (see {@link FrontDoor#certificateFile}). Obtaining or renewing writes that file in one atomic
 * step, 0600; the site that names it is switched by the rollout afterwards, so a new site is never
 * installed without its certificate. Key material is never put in a message.
 */
public final class CertificateProvider implements Provider {
  private final InstantSource clock;
  private final Challenges challenges = new Challenges();

  public CertificateProvider() {
    this(InstantSource.system());
  }

  /** @param clock when observation happens: the plan counts days to expiry from it */
  public CertificateProvider(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "tls";
  }

  @Override
  public Set<ResourceKind> kinds() {
    return Set.of(ResourceKind.CERTIFICATE);
  }

  @Override
  public boolean serves(ObserveTarget target) {
    return target instanceof FrontDoor;
  }

  @Override
  public ObservedBatch observe(ObserveRequest request) throws ProviderException {
    var door = (FrontDoor) request.target();
    var found = new ArrayList<ObservedResource>();
    var now = clock.instant();
    try {
      for (var name : door.host().list(door.certificatesDir())) {
        if (!name.endsWith(".pem")) {
          continue;
        }
        var file = door.certificatesDir().resolve(name);
        door.host()
            .read(file)
            .flatMap(text -> CertificateFile.read(file.toString(), text, now))
            .ifPresent(found::add);
      }
    } catch (IOException e) {
      throw new ProviderException.Terminal(
          door.describe(),
          "cannot read the certificates in " + door.certificatesDir() + ": " + e.getMessage(),
          "check the folder's permissions",
          e);
    }
    return new ObservedBatch(found, List.of(), List.of());
  }

  @Override
  public Outcome apply(ApplyRequest request) throws ProviderException {
    var change = request.change();
    if (change.id().kind() != ResourceKind.CERTIFICATE) {
      throw request.notApplied(this, "it owns certificates");
    }
    if (!(request.target() instanceof FrontDoor door)) {
      throw request.notApplied(this, "its target is " + request.target().describe());
    }
    var file = door.certificateFile(change.id());
    return switch (change.action()) {
      case DELETE -> {
        try {
          yield door.host().delete(file)
              ? new Outcome.Deleted(change.id(), "certificate " + file)
              : new Outcome.AlreadyAbsent(change.id(), "certificate " + file);
        } catch (IOException e) {
          throw new ProviderException.Terminal(
              door.describe(),
              "cannot remove " + file + ": " + e.getMessage(),
              "check the folder's permissions",
              e);
        }
      }
      case NOOP -> new Outcome.Unchanged(change.id(), "certificate " + change.label());
      case CREATE, UPDATE, REPLACE ->
        install(
            door,
            (DesiredCertificate) request
                .desired()
                .orElseThrow(
                    () -> request.notApplied(this, "no declared certificate came with it")),
            file);
    };
  }

  private Outcome install(FrontDoor door, DesiredCertificate desired, Path file)
      throws ProviderException {
    var current = current(door, file);
    if (current.isPresent()
        && current.get().specHash().equals(desired.specHash())
        && valid(desired, current.get())) {
      return new Outcome.Unchanged(
          desired.id(), "certificate for " + String.join(", ", desired.domains()));
    }
    var material = switch (desired.source()) {
      case DesiredCertificate.Source.Files f -> fromFiles(desired, f);
      case DesiredCertificate.Source.Acme a -> {
        var refusals = new Refusals(door);
        refusals.check(desired.id(), desired.domains(), clock.instant());
        try {
          var obtained = new AcmeClient(door, a, challenges).obtain(desired.domains());
          refusals.obtained(desired.id());
          yield obtained;
        } catch (AcmeClient.Refused e) {
          refusals.refused(desired.id(), desired.domains(), clock.instant(), Texts.messageOf(e));
          throw e.fault();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ProviderException.Terminal(
              door.describe(), "interrupted while the CA was asked", "nothing was installed", e);
        }
      }
    };
    try {
      door.host().createDirectories(door.certificatesDir());
      door.host()
          .writePrivate(
              file,
              CertificateFile.render(
                  desired.id(), desired.specHash(), material.key(), material.chain()));
    } catch (IOException e) {
      throw new ProviderException.Terminal(
          door.describe(),
          "cannot write " + file + ": " + e.getMessage(),
          "check free space and the folder's permissions; the previous certificate is still in place",
          e);
    }
    var leaf = material.chain().getFirst();
    var what = "certificate for " + String.join(", ", desired.domains()) + " from "
        + desired.origin() + ", valid until "
        + leaf.getNotAfter().toInstant().atZone(ZoneOffset.UTC).toLocalDate();
    return current.isPresent()
        ? new Outcome.Updated(desired.id(), "installed a new " + what)
        : new Outcome.Created(desired.id(), what);
  }

  /** What is installed now, read again: the plan may be minutes old. */
  private Optional<ObservedCertificate> current(FrontDoor door, Path file)
      throws ProviderException {
    try {
      var now = clock.instant();
      return door.host()
          .read(file)
          .flatMap(text -> CertificateFile.read(file.toString(), text, now));
    } catch (IOException e) {
      throw new ProviderException.Terminal(
          door.describe(),
          "cannot read " + file + ": " + e.getMessage(),
          "check the file's permissions",
          e);
    }
  }

  /** Covers every domain and lies outside the renewal window: an apply again is a no-op. */
  private static boolean valid(DesiredCertificate desired, ObservedCertificate found) {
    var covered = desired.domains().stream()
        .allMatch(d -> found.domains().stream().anyMatch(n -> Pem.covers(n, d)));
    return covered
        && Duration.between(found.observedAt(), found.notAfter()).compareTo(desired.renewBefore())
            > 0;
  }

  /**
   * The user's files, checked before anything is written: the key is private and belongs to the
   * certificate, which covers every domain and has not expired.
   */
  private AcmeClient.Material fromFiles(
      DesiredCertificate desired, DesiredCertificate.Source.Files files) throws ProviderException {
    var where = "tls files of " + desired.id().environmentKey();
    var hint = "fix the files named by tls: {certificate, key}; nothing was installed";
    var keyPath = Path.of(files.key());
    var certificatePath = Path.of(files.certificate());
    try {
      var mode = Files.getPosixFilePermissions(keyPath);
      var open = mode.stream()
          .filter(p -> p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE)
          .toList();
      if (!open.isEmpty()) {
        throw new ProviderException.Terminal(
            where,
            "the key " + keyPath + " is readable or writable by others (mode "
                + PosixFilePermissions.toString(mode) + ")",
            "chmod 600 " + keyPath + "; nothing was installed",
            null);
      }
      var chain = Pem.certificates(Files.readString(certificatePath));
      var key = Pem.privateKey(Files.readString(keyPath));
      var leaf = chain.getFirst();
      if (!Pem.matches(key, leaf.getPublicKey())) {
        throw new ProviderException.Terminal(
            where,
            "the key " + keyPath + " does not belong to the certificate " + certificatePath
                + " (it is another key pair's)",
            hint,
            null);
      }
      var names = Pem.dnsNames(leaf);
      var missing = desired.domains().stream()
          .filter(d -> names.stream().noneMatch(n -> Pem.covers(n, d)))
          .toList();
      if (!missing.isEmpty()) {
        throw new ProviderException.Terminal(
            where,
            "the certificate " + certificatePath + " covers "
                + (names.isEmpty() ? "no DNS name" : String.join(", ", names)) + ", not "
                + String.join(", ", missing),
            hint,
            null);
      }
      if (leaf.getNotAfter().toInstant().isBefore(clock.instant())) {
        throw new ProviderException.Terminal(
            where,
            "the certificate " + certificatePath + " expired on "
                + leaf.getNotAfter().toInstant().atZone(ZoneOffset.UTC).toLocalDate(),
            hint,
            null);
      }
      return new AcmeClient.Material(key, chain);
    } catch (NoSuchFileException e) {
      throw new ProviderException.Terminal(where, "no such file: " + e.getFile(), hint, e);
    } catch (IOException | CertificateException e) {
      throw new ProviderException.Terminal(where, Texts.messageOf(e), hint, e);
    }
  }
}
