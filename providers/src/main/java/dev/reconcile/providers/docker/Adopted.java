package dev.reconcile.providers.docker;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerMount;
import dev.reconcile.desired.DesiredAdoption;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.observed.ObservedAdoption;
import dev.reconcile.provider.ProviderException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The containers from before reconcile that environments take over: a compose project's (by the
 * label compose puts on each) and containers made by hand (by name). Never reconcile's own.
 */
final class Adopted {
  /** The label docker compose (v1 and v2) puts on every container of a project. */
  static final String COMPOSE_PROJECT = "com.docker.compose.project";

  static final String COMPOSE_SERVICE = "com.docker.compose.service";

  private static final Set<String> RUNNING = Set.of("running", "restarting", "paused");

  private Adopted() {}

  /** Through the host's other containers (listed once), only when an adoption is declared. */
  static List<ObservedAdoption> observe(
      DockerHost host, DesiredState desired, OthersContainers others) throws ProviderException {
    var adoptions = desired
        .all(DesiredAdoption.class)
        .filter(a -> a.host().equals(host.name()))
        .toList();
    if (adoptions.isEmpty()) {
      return List.of();
    }
    var all = others.stream().toList();
    var out = new ArrayList<ObservedAdoption>();
    for (var adoption : adoptions) {
      var found = all.stream()
          .filter(c -> takes(adoption, c))
          .map(Adopted::legacy)
          .sorted(Comparator.comparing(ObservedAdoption.Legacy::name))
          .toList();
      out.add(new ObservedAdoption(adoption.id(), host.name(), found));
    }
    return out;
  }

  private static boolean takes(DesiredAdoption adoption, Container c) {
    var labels = c.getLabels() == null ? Map.<String, String>of() : c.getLabels();
    return adoption.compose().filter(p -> p.equals(labels.get(COMPOSE_PROJECT))).isPresent()
        || adoption.containers().contains(ContainerObserver.name(c));
  }

  private static ObservedAdoption.Legacy legacy(Container c) {
    var labels = c.getLabels() == null ? Map.<String, String>of() : c.getLabels();
    var volumes = c.getMounts() == null
        ? List.<String>of()
        : c.getMounts().stream()
            // A bind has no name; a volume has its own.
            .filter(m -> m.getDriver() != null && !m.getDriver().isEmpty())
            .map(ContainerMount::getName)
            .filter(Objects::nonNull)
            .sorted()
            .toList();
    return new ObservedAdoption.Legacy(
        ContainerObserver.name(c),
        c.getId(),
        RUNNING.contains(Objects.requireNonNullElse(c.getState(), "")),
        volumes,
        labels.getOrDefault(COMPOSE_SERVICE, ""));
  }
}
