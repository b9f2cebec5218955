package dev.reconcile.providers.tls;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.observed.ObservedCertificate;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.ResourceKind;
import dev.reconcile.resource.SpecHash;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The file a front door serves a certificate from: a header line recording what it was made for
 * (read back by observation), the private key, then the chain, leaf first. nginx reads the key
 * and the certificates from the same file and skips the header, which is not PEM. Mode 0600.
 */
final class CertificateFile {
  static final String HEADER = "# reconcile ";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CertificateFile() {}

  static String render(ResourceId id, String specHash, PrivateKey key, List<X509Certificate> chain)
      throws IOException {
    var data = JSON.createObjectNode().put("resource", id.toString()).put("spec_hash", specHash);
    return HEADER + SpecHash.canonicalJson(data) + "\n" + Pem.privateKey(key)
        + Pem.write(chain.toArray());
  }

  /** What a file says; empty when it is not one the tool wrote or holds no readable certificate. */
  static Optional<ObservedCertificate> read(String path, String text, Instant now) {
    if (!text.startsWith(HEADER)) {
      return Optional.empty();
    }
    try {
      var data = JSON.readTree(text.substring(HEADER.length(), text.indexOf('\n')));
      var id = ResourceId.parse(data.path("resource").asText());
      if (id.kind() != ResourceKind.CERTIFICATE) {
        return Optional.empty();
      }
      var leaf = Pem.certificates(text).getFirst();
      var recorded = data.path("spec_hash").asText("");
      // A file whose record was edited away is installed again: its hash matches nothing declared.
      var specHash =
          recorded.matches("[0-9a-f]{64}") ? recorded : SpecHash.sha256("no record in " + path);
      return Optional.of(new ObservedCertificate(
          id,
          path,
          specHash,
          Pem.dnsNames(leaf),
          leaf.getNotAfter().toInstant(),
          leaf.getIssuerX500Principal().getName(),
          Pem.sha256(leaf),
          now));
    } catch (IOException | CertificateException | RuntimeException e) {
      // A torn or foreign file: not a certificate the front door can serve; the plan obtains one.
      return Optional.empty();
    }
  }
}
