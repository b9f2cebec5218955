package dev.reconcile.plan;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.Networking;
import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The change for one declared container. */
final class ContainerDiff {
  private ContainerDiff() {}

  static Change of(
      DesiredContainer desired, Optional<ObservedContainer> found, ObservedState observed) {
    if (found.isEmpty()) {
      return create(desired);
    }
    var reasons = reasons(desired, found.get(), observed);
    if (reasons.isEmpty()) {
      return change(desired, Action.NOOP, found, notes(desired, found.get()));
    }
    if (reasons.stream().allMatch(r -> r.field().equals("network"))) {
      if (staysNamed(desired, found.get())) {
        return change(
            desired,
            Action.NOOP,
            found,
            List.of(Reason.of(
                "network",
                "stays on network "
                    + found.get().recorded().orElseThrow().network().orElseThrow()
                    + ", where it was made: its environment needs no names now")));
      }
      if (joinsInPlace(desired, found.get())) {
        return change(desired, Action.UPDATE, found, List.of(inPlace(desired, found.get())));
      }
    }
    return change(desired, Action.REPLACE, found, reasons);
  }

  /**
   * A container on its environment's network of names when the environment needs none any more
   * (down to one container, or made before a host had one egress network): the names harm nothing,
   * and leaving would replace it for no one's benefit.
   */
  private static boolean staysNamed(DesiredContainer desired, ObservedContainer found) {
    return desired.fingerprint().network().isEmpty()
        && found.isRunning()
        && found
            .recorded()
            .filter(r -> r.network().isPresent()
                && r.withNetwork(Optional.empty()).equals(desired.fingerprint()))
            .isPresent()
        && found.image().equals(desired.fingerprint().image());
  }

  private static Reason inPlace(DesiredContainer desired, ObservedContainer found) {
    var bridged = found.networks().contains("bridge");
    var names = desired.fingerprint().network();
    if (names.isEmpty()) {
      return Reason.of(
          "network",
          "moves from Docker's default bridge, where other containers reach it, to the host's "
              + Networking.EGRESS + " in place, without a restart");
    }
    return Reason.of(
        "network",
        "joins network " + names.get() + " in place, without a restart"
            + (bridged
                ? " (was on Docker's default bridge, where no name resolves)"
                : " (its environment has more than one container now)"));
  }

  /**
   * A running container that only has to join its network of names: one made before networks that
   * publishes no port (a database, a worker), whose leaving Docker's default bridge takes nothing
   * away; or one of an environment that has grown a second container, whose published port is on
   * the host's egress network, untouched. A routed container on the default bridge is replaced
   * blue-green, since leaving it would take its published port away.
   */
  private static boolean joinsInPlace(DesiredContainer desired, ObservedContainer found) {
    var bridged = found.networks().contains("bridge");
    return found.isRunning()
        && (!bridged || found.hostPort().isEmpty() && !desired.isRouted())
        && found
            .recorded()
            .filter(r -> r.network().isEmpty()
                && (r.equals(desired.fingerprint())
                    || r.differsOnlyInNetwork(desired.fingerprint())))
            .isPresent()
        && found.image().equals(desired.fingerprint().image());
  }

  private static Change create(DesiredContainer desired) {
    var reasons = new ArrayList<Reason>();
    reasons.add(Reason.of("image", "image " + desired.fingerprint().image()));
    desired.unresolvedEnv().stream()
        .sorted()
        .forEach(name -> reasons.add(Reason.of(
            "env " + name,
            "env " + name + " has no value here; apply needs "
                + Checks.present(desired.spec().env().get(name), "env %s", name).template())));
    return change(desired, Action.CREATE, Optional.empty(), reasons);
  }

  private static List<Reason> reasons(
      DesiredContainer desired, ObservedContainer found, ObservedState observed) {
    var reasons = new ArrayList<Reason>();
    if (!found.isRunning()) {
      reasons.add(Reason.of(
          "state", "container " + found.name() + " is " + found.state() + ", expected running"));
    }
    if (!found.specHash().equals(desired.specHash())) {
      reasons.addAll(found
          .recorded()
          .map(r -> FingerprintReasons.container(
              r,
              desired.fingerprint(),
              desired.unresolvedEnv(),
              found.networks().contains("bridge")))
          .orElseGet(
              () -> List.of(Reason.changed("spec-hash", found.specHash(), desired.specHash()))));
    }
    if (desired.networking().isPresent()
        && found.networks().contains("bridge")
        && reasons.stream().noneMatch(r -> r.field().equals("network"))) {
      // Made before networks, alone in its environment: its names are none, its place is not.
      reasons.add(Reason.of(
          "network",
          "is on Docker's default bridge, where other containers reach it; moves to "
              + Networking.EGRESS));
    }
    var image = reasons.stream().anyMatch(r -> r.field().equals("image"));
    if (!image && !found.image().equals(desired.fingerprint().image())) {
      reasons.add(Reason.of(
          "image",
          "runs image " + found.image() + ", declared " + desired.fingerprint().image()
              + " (changed outside reconcile)"));
    } else if (!image) {
      observed
          .imageIdOf(desired.host(), desired.fingerprint().image())
          .filter(id -> !id.equals(found.imageId()))
          .ifPresent(id -> reasons.add(Reason.of(
              "image",
              "image " + found.image() + " now points at " + shortId(id) + " (running "
                  + shortId(found.imageId()) + ")")));
    }
    return reasons;
  }

  /** Why a container whose hash differs still needs nothing: only unknown values differ. */
  private static List<Reason> notes(DesiredContainer desired, ObservedContainer found) {
    if (found.specHash().equals(desired.specHash())) {
      return List.of();
    }
    return desired.unresolvedEnv().stream()
        .sorted()
        .map(name ->
            Reason.of("env " + name, "env " + name + " has no value here; assumed unchanged"))
        .toList();
  }

  private static Change change(
      DesiredContainer desired,
      Action action,
      Optional<ObservedContainer> found,
      List<Reason> given) {
    var reasons = given;
    if ((action == Action.CREATE || action == Action.REPLACE)
        && desired.spec().release().isPresent()) {
      reasons = new ArrayList<>(given);
      reasons.add(Reason.of(
          "release",
          "release command runs first, from the new image: "
              + String.join(" ", desired.spec().release().get().command())));
    }
    var strategy = action == Action.REPLACE
        ? Optional.of(desired.spec().updateStrategy())
        : Optional.<UpdateStrategy>empty();
    var impact = strategy.filter(s -> s == UpdateStrategy.RECREATE).isPresent()
        ? TrafficImpact.BRIEF_OUTAGE
        : TrafficImpact.NONE;
    return new Change(
        desired.id(),
        action,
        Optional.empty(),
        found.map(ObservedContainer::specHash),
        Optional.of(desired.specHash()),
        strategy,
        reasons,
        impact,
        desired.dependsOn());
  }

  static String shortId(String imageId) {
    var hex = imageId.startsWith("sha256:") ? imageId.substring(7) : imageId;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }
}
