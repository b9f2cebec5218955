package dev.reconcile.providers.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import dev.reconcile.host.Host;
import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.HostResolver;
import dev.reconcile.provider.ProviderException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The Docker engines of {@code platform.hosts}, each connected once and shared by the Docker
 * provider and its capabilities: by socket or TCP, or on a server through a local socket carried
 * over the server's SSH connection (made anew when that connection is).
 */
final class DockerHosts implements AutoCloseable {
  private final UnaryOperator<DockerHttpClient> transport;
  private final Map<String, DockerHost> hosts = new ConcurrentHashMap<>();
  /** The local socket each engine over SSH is reached through, by host name; replaced when its connection is. */
  private final Map<String, StdioSocket> sockets = new ConcurrentHashMap<>();
  /** The SSH connection each engine over SSH was opened through, by host name. */
  private final Map<String, Host> carriers = new ConcurrentHashMap<>();

  private volatile @Nullable HostResolver resolver;

  /** @param transport wraps each host's HTTP client (tests count calls with it) */
  DockerHosts(UnaryOperator<DockerHttpClient> transport) {
    this.transport = transport;
  }

  /** Servers over SSH are reached through the engine's hosts, handed over before any other call. */
  void use(HostResolver hosts) {
    this.resolver = hosts;
  }

  /** Whether an engine of this host can be reached: directly, or over SSH once hosts were handed over. */
  boolean reaches(HostSpec host) {
    return host instanceof HostSpec.Docker || (host instanceof HostSpec.Ssh && resolver != null);
  }

  DockerHost get(HostSpec spec) throws ProviderException {
    var known = hosts.get(spec.name());
    if (known != null && carriedBy(spec) == carriers.get(spec.name())) {
      return known;
    }
    synchronized (hosts) {
      known = hosts.get(spec.name());
      if (known != null && carriedBy(spec) != carriers.get(spec.name())) {
        // The SSH connection under this engine was made anew (it had dropped): so is the engine's.
        known.close();
        hosts.remove(spec.name());
        known = null;
      }
      if (known == null) {
        known = switch (spec) {
          case HostSpec.Docker docker ->
            DockerHost.connect(docker.name(), docker.endpoint(), docker.timeout(), transport);
          case HostSpec.Ssh ssh -> overSsh(ssh);
        };
        hosts.put(spec.name(), known);
      }
      return known;
    }
  }

  /** The connection an engine over SSH goes through now (null for an engine reached directly). */
  private @Nullable Host carriedBy(HostSpec spec) throws ProviderException {
    return spec instanceof HostSpec.Ssh ssh && resolver != null ? resolver.host(ssh) : null;
  }

  /** The engine of a server over SSH, through a local socket carried by dial-stdio. */
  private DockerHost overSsh(HostSpec.Ssh ssh) throws ProviderException {
    if (resolver == null) {
      throw new IllegalStateException(
          "the engine handed no hosts to the Docker provider (useHosts)");
    }
    var host = resolver.host(ssh);
    carriers.put(ssh.name(), host);
    try {
      var socket = StdioSocket.open(host);
      var previous = sockets.put(ssh.name(), socket);
      if (previous != null) {
        previous.close(); // its connection dropped; kept open it would hold a thread and a file for
        // good
      }
      return DockerHost.connect(
          ssh.name(),
          socket.endpoint(),
          "docker over ssh://" + ssh.user() + "@" + ssh.address() + ":" + ssh.port(),
          HostSpec.Docker.DEFAULT_TIMEOUT,
          transport);
    } catch (IOException e) {
      throw new ProviderException.Terminal(
          "host " + ssh.name(),
          "cannot open a local socket for its Docker " + "engine: " + e.getMessage(),
          "check that the temp folder is writable",
          e);
    }
  }

  @Override
  public void close() {
    hosts.values().forEach(DockerHost::close);
    sockets.values().forEach(StdioSocket::close);
  }
}
