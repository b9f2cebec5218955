package dev.reconcile.host;

import dev.reconcile.model.HostSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens {@link Host}s of the kinds it knows. Found through {@link java.util.ServiceLoader} like
 * providers, so the engine names no implementation.
 */
public interface HostConnector {
  boolean connects(HostSpec spec);

  /**
   * @param specDir the folder of projects.yml: relative key and known_hosts paths resolve there
   * @throws IOException when the host cannot be reached or refuses us; the message says why
   */
  Host connect(HostSpec spec, Path specDir) throws IOException;

  /**
   * The key a server offers and whether its known_hosts file holds it, without logging in;
   * empty for hosts that have no keys (this machine).
   */
  default Optional<HostKey> scan(HostSpec spec, Path specDir) throws IOException {
    return Optional.empty();
  }

  /** Adds a scanned key to its known_hosts file (atomically; the file is made if missing). */
  default void trust(HostKey key) throws IOException {
    throw new UnsupportedOperationException("hosts of this kind have no keys to trust");
  }

  /**
   * A server's host key.
   *
   * @param offered its type and OpenSSH fingerprint, e.g. {@code ssh-ed25519 SHA256:...}
   * @param line the known_hosts line that trusts it
   */
  record HostKey(
      String host, String where, String offered, Trust trust, Path knownHosts, String line) {
    public enum Trust {
      /** known_hosts holds this key. */
      TRUSTED,
      /** known_hosts holds no key for this server. */
      UNKNOWN,
      /** known_hosts holds another key for this server: an attack, or a reinstalled server. */
      CHANGED
    }
  }
}
