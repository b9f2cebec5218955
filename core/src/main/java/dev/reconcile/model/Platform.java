package dev.reconcile.model;

import dev.reconcile.util.OrderedMaps;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the platform as a whole.
 *
 * @param stateDir where state lives, relative to the spec file unless absolute
 * @param stateHost the host whose state_dir holds the fleet's state ({@code local}: stateDir);
 *     empty: the first ssh host, else local
 * @param history snapshots kept per project and environment
 * @param hosts Docker hosts by name; never empty (the default is one local engine)
 * @param webhook notification URL, possibly holding {@code ${VAR}}
 * @param notifyFormat {@code slack} or {@code json}: the webhook's body
 * @param registry where images missing on their host are pulled from; none: nothing is pulled
 * @param tls certificates for the projects served over HTTPS
 * @param networks where the networks of project environments take their subnets from
 */
public record Platform(
    String stateDir,
    Optional<String> stateHost,
    PortRange ports,
    int history,
    NginxSettings nginx,
    Map<String, HostSpec> hosts,
    Optional<EnvValue> webhook,
    String notifyFormat,
    Optional<Registry> registry,
    Optional<BackupTarget> backupTarget,
    TlsSettings tls,
    NetworkPool networks) {

  public static final String DEFAULT_HOST = "local";

  public Platform {
    hosts = OrderedMaps.copyOf(hosts);
  }

  /**
   * The host a project names: one of {@link #hosts}, as validation makes sure.
   *
   * @throws IllegalStateException when it names none (a bug: validation let it through)
   */
  public HostSpec hostOf(ProjectSpec project) {
    var host = hosts.get(project.host());
    if (host == null) {
      throw new IllegalStateException("project " + project.name() + " names host " + project.host()
          + ", which platform.hosts does not have");
    }
    return host;
  }
}
