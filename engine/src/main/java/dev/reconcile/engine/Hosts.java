package dev.reconcile.engine;

import dev.reconcile.host.Host;
import dev.reconcile.host.HostConnector;
import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.HostResolver;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hosts of one run, each opened once (an SSH connection is reused by observation, every
 * rollout step and the probes) and closed with the run.
 */
public final class Hosts implements AutoCloseable, HostResolver {
  /** The name of the machine reconcile runs on, where the state and the front door live. */
  public static final String THIS_MACHINE = "local";

  private final List<HostConnector> connectors;
  private final Map<String, Host> open = new ConcurrentHashMap<>();
  private final Map<String, Object> connecting = new ConcurrentHashMap<>();
  private volatile Path specDir = Path.of(".");

  public Hosts(List<HostConnector> connectors) {
    this.connectors = List.copyOf(connectors);
  }

  /** The connectors on the class path. */
  public static Hosts discover() {
    var found = new ArrayList<HostConnector>();
    ServiceLoader.load(HostConnector.class).forEach(found::add);
    return new Hosts(found);
  }

  /**
   * The host of a {@code platform.hosts} entry, connected on first use.
   *
   * @param specDir where relative key and known_hosts paths of the entry resolve
   */
  public Host get(HostSpec spec, Path specDir) throws ProviderException {
    var host = open.get(spec.name());
    if (host != null && host.isOpen()) {
      return host;
    }
    // One lock per host: servers connect in parallel, and each only once.
    synchronized (connecting.computeIfAbsent(spec.name(), name -> new Object())) {
      host = open.get(spec.name());
      if (host != null && !host.isOpen()) {
        // The connection dropped (the server rebooted, the network went): a controller running for
        // months connects again rather than failing that server's environments for ever.
        host.close();
        open.remove(spec.name());
        host = null;
      }
      if (host == null) {
        host = connect(spec, specDir);
        open.put(spec.name(), host);
      }
      return host;
    }
  }

  /** Where relative key and known_hosts paths resolve: the folder of the projects.yml planned. */
  public void useSpecDir(Path specDir) {
    this.specDir = specDir;
  }

  /** The host of a {@code platform.hosts} entry, its paths resolved against projects.yml's folder. */
  @Override
  public Host host(HostSpec spec) throws ProviderException {
    return get(spec, specDir);
  }

  /** This machine: where the state lives and the front door of its own engines runs. */
  public Host thisMachine() throws ProviderException {
    return get(new HostSpec.Docker(THIS_MACHINE, HostSpec.Docker.DEFAULT_ENDPOINT), Path.of("."));
  }

  /** Whether an installed connector can reach hosts of this kind. */
  public boolean canConnect(HostSpec spec) {
    return connectors.stream().anyMatch(c -> c.connects(spec));
  }

  private Host connect(HostSpec spec, Path specDir) throws ProviderException {
    var connector = connectors.stream()
        .filter(c -> c.connects(spec))
        .findFirst()
        .orElseThrow(() -> new ProviderException.Terminal(
            "host " + spec.name(),
            "no installed connector can reach host " + spec.name(),
            "plan the projects of other hosts with --project, or run reconcile on that host",
            null));
    try {
      return connector.connect(spec, specDir);
    } catch (IOException e) {
      throw new ProviderException.Transient(
          "host " + spec.name(), Texts.messageOf(e), "check that the host is up and reachable", e);
    }
  }

  /** The key a server offers, and whether known_hosts holds it; empty for this machine's hosts. */
  public Optional<HostConnector.HostKey> scan(HostSpec spec) throws IOException {
    var connector = connectors.stream().filter(c -> c.connects(spec)).findFirst();
    return connector.isEmpty() ? Optional.empty() : connector.get().scan(spec, specDir);
  }

  /** Adds a scanned key to its known_hosts file. */
  public void trust(HostSpec spec, HostConnector.HostKey key) throws IOException {
    connectors.stream().filter(c -> c.connects(spec)).findFirst().orElseThrow().trust(key);
  }

  @Override
  public void close() {
    open.values().forEach(Host::close);
    open.clear();
  }
}
