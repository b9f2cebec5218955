package dev.reconcile.desired;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The certificate an environment is served with over HTTPS: for every one of its domains, from
 * the CA or from files someone else renews. Its spec hash covers the domains and where it comes
 * from (for files, a digest of the certificate, never of the key), so a new domain or a renewed
 * file shows as a change; expiry is compared at diff time against {@link #renewBefore}.
 *
 * @param host the project's host: its front door serves the certificate
 */
public record DesiredCertificate(
    ResourceId id,
    String host,
    List<String> domains,
    Source source,
    Duration renewBefore,
    String specHash)
    implements DesiredResource {

  /** Where the certificate comes from. */
  public sealed interface Source {
    /**
     * An RFC 8555 CA.
     *
     * @param caBundle absolute path of extra CAs to trust
     */
    record Acme(String directory, Optional<String> email, Optional<String> caBundle)
        implements Source {}

    /**
     * PEM files, absolute paths.
     *
     * @param digest SHA-256 of the certificate file as read when planning; empty when unreadable
     */
    record Files(String certificate, String key, Optional<String> digest) implements Source {}
  }

  public DesiredCertificate {
    domains = List.copyOf(domains);
  }

  public static DesiredCertificate of(
      ResourceId id, String host, List<String> domains, Source source, Duration renewBefore) {
    return new DesiredCertificate(
        id, host, domains, source, renewBefore, SpecHash.of(fingerprint(domains, source)));
  }

  @Override
  public List<ResourceId> dependsOn() {
    return List.of();
  }

  /** What the spec hash covers: the domains in any order, and the source. */
  static ObjectNode fingerprint(List<String> domains, Source source) {
    var json = JsonNodeFactory.instance.objectNode();
    var names = json.putArray("domains");
    new TreeSet<>(domains).forEach(names::add);
    switch (source) {
      case Source.Acme a -> json.put("acme", a.directory());
      case Source.Files f -> json.put("files", f.digest().orElse("unreadable"));
    }
    return json;
  }

  /** Words for plans and progress: where the certificate comes from. */
  public String origin() {
    return switch (source) {
      case Source.Acme a -> "the CA at " + a.directory();
      case Source.Files f -> f.certificate();
    };
  }
}
