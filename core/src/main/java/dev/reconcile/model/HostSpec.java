package dev.reconcile.model;

import java.time.Duration;
import java.util.Optional;

/** A Docker host a project can run on. */
public sealed interface HostSpec {
  String name();

  /** Whether its engine is a swarm manager: projects there run as swarm services. */
  default boolean swarm() {
    return false;
  }

  /** Whether a swarm's task ports may be reached from outside (no firewall check). */
  default boolean publicTaskPorts() {
    return false;
  }

  /**
   * A local engine, reached through a socket or TCP endpoint.
   *
   * @param swarm whether that engine is a swarm manager ({@code swarm:} in projects.yml)
   * @param publicTaskPorts a swarm whose tasks' ports may be reached from outside ({@code
   *     task_ports: public}); else pre-flight checks a firewall rule filters them
   * @param timeout how long one call may wait for the engine's answer: an engine that accepts
   *     connections and never answers must not hold an apply for ever
   */
  record Docker(
      String name, String endpoint, Duration timeout, boolean swarm, boolean publicTaskPorts)
      implements HostSpec {
    public static final String DEFAULT_ENDPOINT = "unix:///var/run/docker.sock";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public Docker(String name, String endpoint) {
      this(name, endpoint, DEFAULT_TIMEOUT, false, false);
    }

    public Docker(String name, String endpoint, Duration timeout) {
      this(name, endpoint, timeout, false, false);
    }
  }

  /**
   * A server whose engine is reached over SSH.
   *
   * @param identity the private key file; empty: the default keys in {@code ~/.ssh}
   * @param knownHosts the known_hosts file to check its key against; empty: {@code
   *     ~/.ssh/known_hosts}
   * @param stateDir the folder on the server for its managed nginx (prefix and sites)
   * @param nginx the server's own front door; empty: {@code platform.nginx}
   * @param swarm whether the server's engine is a swarm manager ({@code swarm: true})
   * @param publicTaskPorts see {@link Docker#publicTaskPorts}
   */
  record Ssh(
      String name,
      String user,
      String address,
      int port,
      Optional<String> identity,
      Optional<String> knownHosts,
      String stateDir,
      Optional<NginxSettings> nginx,
      boolean swarm,
      boolean publicTaskPorts)
      implements HostSpec {
    public static final String DEFAULT_STATE_DIR = "/var/lib/reconcile";

    public Ssh(
        String name,
        String user,
        String address,
        int port,
        Optional<String> identity,
        Optional<String> knownHosts,
        String stateDir,
        Optional<NginxSettings> nginx) {
      this(name, user, address, port, identity, knownHosts, stateDir, nginx, false, false);
    }

    public Ssh(
        String name,
        String user,
        String address,
        int port,
        Optional<String> identity,
        Optional<String> knownHosts) {
      this(name, user, address, port, identity, knownHosts, DEFAULT_STATE_DIR, Optional.empty());
    }
  }
}
