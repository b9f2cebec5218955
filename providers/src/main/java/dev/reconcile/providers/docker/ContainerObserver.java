package dev.reconcile.providers.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import dev.reconcile.desired.ContainerFingerprint;
import dev.reconcile.desired.Networking;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/** Lists the managed containers of a host in one call and reads them from their labels. */
final class ContainerObserver {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ContainerObserver() {}

  static List<ObservedContainer> observe(DockerHost host, String owner) throws ProviderException {
    var listed = DockerErrors.call(
        host,
        "listing managed containers",
        () -> host.client()
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Labels.ownedBy(owner))
            .exec());
    var out = new ArrayList<ObservedContainer>();
    for (var container : listed) {
      // A one-off (a release command, reconcile run) is not a slot: it goes by itself.
      if (container.getLabels() != null && container.getLabels().containsKey(Labels.ONE_OFF)) {
        continue;
      }
      if (Labels.isForHost(container.getLabels(), host.name())) {
        toObserved(host.name(), container).ifPresent(out::add);
      }
    }
    return out;
  }

  /** Empty for a container whose labels do not name a resource (damaged or foreign labels). */
  static Optional<ObservedContainer> toObserved(String host, Container container) {
    var labels = container.getLabels() == null ? Map.<String, String>of() : container.getLabels();
    ResourceId id;
    try {
      id = ResourceId.container(
          labels.getOrDefault(Labels.PROJECT, ""),
          labels.getOrDefault(Labels.ENVIRONMENT, ""),
          labels.getOrDefault(Labels.COMPONENT, ""));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    var recorded = fingerprint(labels.get(Labels.SPEC));
    var specHash = labels.getOrDefault(Labels.SPEC_HASH, "");
    // A container made before networks that joined its network in place (its labels cannot
    // change): it runs on the network, as observed, once it is off Docker's default bridge.
    var joined = joinedInPlace(container, id, recorded);
    if (joined.isPresent()) {
      recorded = joined;
      specHash = joined.get().specHash();
    }
    return Optional.of(new ObservedContainer(
        id,
        host,
        container.getId(),
        name(container),
        labels.getOrDefault(Labels.SLOT, "blue"),
        container.getImage(),
        container.getImageId(),
        container.getState() == null ? "unknown" : container.getState(),
        health(container.getStatus()),
        hostPort(container.getPorts(), recorded),
        specHash,
        recorded,
        container.getNetworkSettings() == null
                || container.getNetworkSettings().getNetworks() == null
            ? List.of()
            : List.copyOf(container.getNetworkSettings().getNetworks().keySet())));
  }

  /**
   * The network a container is on, as the engine says, where its labels say otherwise: one made
   * before networks that joined its network in place (labels cannot change), or one taken off its
   * network by hand. Empty when the labels are right.
   */
  private static Optional<ContainerFingerprint> joinedInPlace(
      Container container, ResourceId id, Optional<ContainerFingerprint> recorded) {
    if (recorded.isEmpty()
        || container.getNetworkSettings() == null
        || container.getNetworkSettings().getNetworks() == null) {
      return Optional.empty();
    }
    var networks = container.getNetworkSettings().getNetworks().keySet();
    var own = Networking.of(id.project(), id.environment());
    var on = networks.contains(own) && !networks.contains("bridge")
        ? Optional.of(own)
        : Optional.<String>empty();
    if (recorded.get().network().equals(on)
        || recorded.get().network().isPresent() && networks.isEmpty()) {
      // As labelled; or a container that is not running, whose networks the engine does not list.
      return Optional.empty();
    }
    return Optional.of(recorded.get().withNetwork(on));
  }

  static String name(Container container) {
    var names = container.getNames();
    if (names == null || names.length == 0) {
      return container.getId().substring(0, Math.min(12, container.getId().length()));
    }
    return names[0].startsWith("/") ? names[0].substring(1) : names[0];
  }

  static Optional<ContainerFingerprint> fingerprint(@Nullable String label) {
    if (label == null) {
      return Optional.empty();
    }
    try {
      return ContainerFingerprint.fromJson(JSON.readTree(label));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> health(String status) {
    if (status == null) {
      return Optional.empty();
    }
    for (var word : List.of("unhealthy", "healthy", "starting")) {
      if (status.contains("(" + word + ")") || status.contains("health: " + word)) {
        return Optional.of(word);
      }
    }
    return Optional.empty();
  }

  private static OptionalInt hostPort(
      ContainerPort[] ports, Optional<ContainerFingerprint> recorded) {
    if (ports == null) {
      return OptionalInt.empty();
    }
    var wanted = recorded.map(ContainerFingerprint::port).orElse(OptionalInt.empty());
    return Arrays.stream(ports)
        .filter(p -> p.getPublicPort() != null)
        .filter(p -> wanted.isEmpty()
            || p.getPrivatePort() != null && p.getPrivatePort() == wanted.getAsInt())
        .mapToInt(ContainerPort::getPublicPort)
        .findFirst();
  }
}
