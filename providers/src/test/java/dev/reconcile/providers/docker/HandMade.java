package dev.reconcile.providers.docker;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.resource.SpecHash;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates containers "by hand" the way the tool labels them, so tests can arrange any observed
 * state on the real engine. Test-only: apply creates containers through the provider.
 */
final class HandMade {
  private final DockerHost host;
  private final String owner;

  /** @param owner the state directory id the containers are labelled with */
  HandMade(DockerHost host, String owner) {
    this.host = host;
    this.owner = owner;
  }

  /**
   * Starts a managed container for a desired one, on its project environment's networks as the
   * tool would (they are made when missing); returns its loopback host port.
   */
  int start(DesiredContainer desired, String slot, String image, Map<String, String> env) {
    var networking = desired.networking();
    if (networking.isPresent()) {
      try {
        Networks.egress(host, networking.get().pool());
        if (networking.get().named()) {
          Networks.ensure(
              host, networking.get().environment(), owner, networking.get().pool());
        }
      } catch (dev.reconcile.provider.ProviderException e) {
        throw new IllegalStateException(e);
      }
    }
    return run(
        Names.container(desired.id(), slot),
        image,
        labels(desired, slot),
        env,
        desired.fingerprint().port().orElse(8080),
        0,
        networking);
  }

  private Map<String, String> labels(DesiredContainer desired, String slot) {
    var labels = new HashMap<String, String>();
    labels.put(Labels.MANAGED, "true");
    labels.put(Labels.OWNER, owner);
    labels.put(Labels.PROJECT, desired.id().project());
    labels.put(Labels.ENVIRONMENT, desired.id().environment());
    labels.put(Labels.COMPONENT, desired.id().name().orElseThrow());
    labels.put(Labels.SLOT, slot);
    labels.put(Labels.SPEC_HASH, desired.specHash());
    labels.put(Labels.SPEC, SpecHash.canonicalJson(desired.fingerprint().toJson()));
    return labels;
  }

  /** Creates (does not start) a managed container: enough for observing, and fast. */
  void create(DesiredContainer desired, String slot) {
    host.client()
        .createContainerCmd(desired.fingerprint().image())
        .withName(Names.container(desired.id(), slot))
        .withLabels(labels(desired, slot))
        .exec();
  }

  /**
   * Starts a managed container as versions before networks did: on Docker's default bridge,
   * labelled with its fingerprint without a network. Returns its id.
   */
  String startBeforeNetworks(DesiredContainer desired, String slot) {
    var labels = labels(desired, slot);
    var old = desired.fingerprint().withNetwork(java.util.Optional.empty());
    labels.put(Labels.SPEC_HASH, old.specHash());
    labels.put(Labels.SPEC, SpecHash.canonicalJson(old.toJson()));
    var id = host.client()
        .createContainerCmd(desired.fingerprint().image())
        .withName(Names.container(desired.id(), slot))
        .withLabels(labels)
        .withCmd(desired.spec().command())
        .withHostConfig(HostConfig.newHostConfig().withInit(true))
        .exec()
        .getId();
    host.client().startContainerCmd(id).exec();
    return id;
  }

  /** Starts a container the tool does not manage, publishing a loopback port. */
  int startUnmanaged(String name, String image, int hostPort) {
    return run(name, image, Map.of("dev.reconcile.test", "true"), Map.of(), 8080, hostPort);
  }

  private int run(
      String name,
      String image,
      Map<String, String> labels,
      Map<String, String> env,
      int containerPort,
      int hostPort) {
    return run(name, image, labels, env, containerPort, hostPort, java.util.Optional.empty());
  }

  private int run(
      String name,
      String image,
      Map<String, String> labels,
      Map<String, String> env,
      int containerPort,
      int hostPort,
      java.util.Optional<dev.reconcile.desired.Networking> networking) {
    var exposed = ExposedPort.tcp(containerPort);
    var binding = hostPort == 0
        ? Ports.Binding.bindIp("127.0.0.1")
        : Ports.Binding.bindIpAndPort("127.0.0.1", hostPort);
    var id = host.client()
        .createContainerCmd(image)
        .withName(name)
        .withLabels(labels)
        .withEnv(
            env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        .withExposedPorts(exposed)
        .withHostConfig(HostConfig.newHostConfig()
            .withInit(true)
            .withPortBindings(new PortBinding(binding, exposed))
            .withNetworkMode(
                networking.isPresent() ? dev.reconcile.desired.Networking.EGRESS : null))
        .exec()
        .getId();
    if (networking.filter(dev.reconcile.desired.Networking::named).isPresent()) {
      try {
        Networks.join(
            host,
            id,
            networking.get().network(),
            networking.get().aliases(),
            java.util.Optional.empty());
      } catch (dev.reconcile.provider.ProviderException e) {
        throw new IllegalStateException(e);
      }
    }
    host.client().startContainerCmd(id).exec();
    var bindings = host.client()
        .inspectContainerCmd(id)
        .exec()
        .getNetworkSettings()
        .getPorts()
        .getBindings()
        .get(exposed);
    return Integer.parseInt(bindings[0].getHostPortSpec());
  }

  /**
   * An egress network of the environment's own, labelled as versions before the host's egress
   * network made them; on the engine's default pool.
   */
  String legacyEgress(String project, String environment) {
    var name = dev.reconcile.desired.Networking.legacyEgress(
        dev.reconcile.desired.Networking.of(project, environment));
    host.client()
        .createNetworkCmd()
        .withName(name)
        .withDriver("bridge")
        .withLabels(Map.of(
            Labels.MANAGED,
            "true",
            Labels.PROJECT,
            project,
            Labels.ENVIRONMENT,
            environment,
            Labels.OWNER,
            owner,
            Labels.HOST,
            "local",
            Labels.NETWORK_ROLE,
            Networks.EGRESS))
        .exec();
    return name;
  }

  void remove(String name) {
    host.client().removeContainerCmd(name).withForce(true).exec();
  }

  /** Removes every container of a test project and the named extras; ignores what is gone. */
  void cleanUp(String project, List<String> extraNames) {
    host.client()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(Labels.PROJECT, project))
        .exec()
        .forEach(
            c -> host.client().removeContainerCmd(c.getId()).withForce(true).exec());
    host.client()
        .listVolumesCmd()
        .withFilter("label", List.of(Labels.PROJECT + "=" + project))
        .exec()
        .getVolumes()
        .forEach(v -> host.client().removeVolumeCmd(v.getName()).exec());
    host.client()
        .listNetworksCmd()
        .withFilter("label", List.of(Labels.PROJECT + "=" + project))
        .exec()
        .forEach(n -> host.client().removeNetworkCmd(n.getId()).exec());
    for (var name : extraNames) {
      try {
        remove(name);
      } catch (com.github.dockerjava.api.exception.NotFoundException e) {
        // Already gone: nothing to clean.
      }
    }
  }
}
