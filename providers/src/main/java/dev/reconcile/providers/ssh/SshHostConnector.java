package dev.reconcile.providers.ssh;

import dev.reconcile.host.Host;
import dev.reconcile.host.HostConnector;
import dev.reconcile.host.HostConnector.HostKey;
import dev.reconcile.model.HostSpec;
import dev.reconcile.util.AtomicFiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Optional;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.userauth.UserAuthException;
import org.jspecify.annotations.Nullable;

/**
 * Connects {@code ssh:} hosts, strictly: a host key that known_hosts does not hold, or holds
 * differently, is refused with the key's SHA256 fingerprint, as OpenSSH's
 * {@code StrictHostKeyChecking yes} does. There is no "accept on first use".
 */
public final class SshHostConnector implements HostConnector {
  /** How long a TCP connect and each SSH packet may take before the host counts as unreachable. */
  static final int TIMEOUT_MILLIS = 10_000;
  /** Keep-alives: a dead connection is noticed within about a minute, not at the next TCP timeout. */
  static final int KEEP_ALIVE_SECONDS = 15;

  @Override
  public boolean connects(HostSpec spec) {
    return spec instanceof HostSpec.Ssh;
  }

  @Override
  public Host connect(HostSpec spec, Path specDir) throws IOException {
    var ssh = (HostSpec.Ssh) spec;
    var where = ssh.user() + "@" + ssh.address() + ":" + ssh.port();
    var knownHosts = resolve(specDir, ssh.knownHosts().orElse("~/.ssh/known_hosts"));
    var verifier = new Strict(knownHosts.toFile());
    var config = new DefaultConfig();
    config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
    var client = new SSHClient(config);
    client.addHostKeyVerifier(verifier);
    client.setConnectTimeout(TIMEOUT_MILLIS);
    client.setTimeout(TIMEOUT_MILLIS);
    try {
      client.connect(ssh.address(), ssh.port());
    } catch (IOException e) {
      close(client);
      throw new IOException(
          verifier
              .refusal(spec.name(), where, knownHosts)
              .orElseGet(() -> "cannot connect to " + where + ": " + describe(e)),
          e);
    }
    client.getConnection().getKeepAlive().setKeepAliveInterval(KEEP_ALIVE_SECONDS);
    try {
      if (ssh.identity().isPresent()) {
        var key = resolve(specDir, ssh.identity().get());
        if (!Files.isReadable(key)) {
          throw new IOException(
              "the identity " + key + " of host " + spec.name() + " cannot be read");
        }
        client.authPublickey(ssh.user(), client.loadKeys(key.toString()));
      } else {
        client.authPublickey(ssh.user());
      }
      return new SshHost(spec.name(), where, client);
    } catch (UserAuthException e) {
      close(client);
      throw new IOException(
          where + " refused the key "
              + ssh.identity()
                  .map(i -> resolve(specDir, i).toString())
                  .orElse("(the default keys in ~/.ssh)")
              + " for user " + ssh.user()
              + ": is its public key in that user's authorized_keys?",
          e);
    } catch (IOException | RuntimeException e) {
      close(client);
      throw e;
    }
  }

  @Override
  public Optional<HostKey> scan(HostSpec spec, Path specDir) throws IOException {
    var ssh = (HostSpec.Ssh) spec;
    var where = ssh.user() + "@" + ssh.address() + ":" + ssh.port();
    var knownHosts = resolve(specDir, ssh.knownHosts().orElse("~/.ssh/known_hosts"));
    var scanner = new Scanner(knownHosts.toFile());
    var client = new SSHClient(new DefaultConfig());
    client.addHostKeyVerifier(scanner);
    client.setConnectTimeout(TIMEOUT_MILLIS);
    client.setTimeout(TIMEOUT_MILLIS);
    try {
      client.connect(ssh.address(), ssh.port());
    } catch (IOException e) {
      if (scanner.key == null) {
        throw new IOException("cannot connect to " + where + ": " + describe(e), e);
      }
      // Refused on purpose: only the key was wanted, and nothing is sent before it is trusted.
    } finally {
      close(client);
    }
    var key = scanner.key;
    if (key == null) {
      throw new IOException(where + " ended the connection before offering a host key");
    }
    var blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    var name = ssh.port() == 22 ? ssh.address() : "[" + ssh.address() + "]:" + ssh.port();
    var line = name + " " + KeyType.fromKey(key) + " " + Base64.getEncoder().encodeToString(blob);
    var trust = scanner.trusted
        ? HostKey.Trust.TRUSTED
        : scanner.changed ? HostKey.Trust.CHANGED : HostKey.Trust.UNKNOWN;
    return Optional.of(new HostKey(spec.name(), where, fingerprint(key), trust, knownHosts, line));
  }

  @Override
  public void trust(HostKey key) throws IOException {
    if (key.trust() == HostKey.Trust.CHANGED) {
      throw new IOException(
          key.knownHosts() + " holds another key for " + key.host() + "; remove that line "
              + "first (ssh-keygen -R), once the server's administrator confirmed the new key");
    }
    var file = key.knownHosts();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    var existing = Files.exists(file) ? Files.readString(file) : "";
    var text =
        existing + (existing.isEmpty() || existing.endsWith("\n") ? "" : "\n") + key.line() + "\n";
    AtomicFiles.writeString(file, text, Files.exists(file) ? null : AtomicFiles.PRIVATE);
  }

  /** Remembers the key offered and what known_hosts says of it, and refuses the connection. */
  private static final class Scanner extends OpenSSHKnownHosts {
    private volatile @Nullable PublicKey key;
    private volatile boolean trusted;
    private volatile boolean changed;

    Scanner(File file) throws IOException {
      super(file);
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey offered) {
      key = offered;
      trusted = super.verify(hostname, port, offered);
      return false;
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey offered) {
      return false;
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey offered) {
      changed = true;
      return false;
    }
  }

  private static String describe(IOException e) {
    var message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static void close(SSHClient client) {
    try {
      client.close();
    } catch (IOException e) {
      // nothing more to do
    }
  }

  /** {@code ~} is the home directory; a relative path is relative to projects.yml's folder. */
  static Path resolve(Path specDir, String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      return Path.of(System.getProperty("user.home"))
          .resolve(path.equals("~") ? "" : path.substring(2));
    }
    return specDir.resolve(path).toAbsolutePath().normalize();
  }

  /** OpenSSH's fingerprint of a key: {@code SHA256:} and the unpadded base64 of its digest. */
  public static String fingerprint(PublicKey key) {
    try {
      var blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
      var digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return KeyType.fromKey(key) + " SHA256:"
          + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Refuses unknown and changed keys, remembering which, for the message. */
  private static final class Strict extends OpenSSHKnownHosts {
    private volatile @Nullable String unknown;
    private volatile @Nullable String changed;

    Strict(File file) throws IOException {
      super(file);
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
      unknown = fingerprint(key);
      return false;
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
      changed = fingerprint(key);
      return false;
    }

    Optional<String> refusal(String name, String where, Path file) {
      if (changed != null) {
        return Optional.of("the host key of " + name + " (" + where + ") has CHANGED: the server "
            + "offers " + changed + ", and " + file
            + " holds another key for it. This can be an attack, "
            + "or a reinstalled server: check the key with the server's administrator before you "
            + "remove the old line from known_hosts");
      }
      if (unknown != null) {
        return Optional.of("the host key of " + name + " (" + where + ") is unknown: the server "
            + "offers " + unknown + ", which is not in " + file
            + ". Compare it with the server's own "
            + "(on the server: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then add it with: "
            + "reconcile hosts trust " + name);
      }
      return Optional.empty();
    }
  }
}
