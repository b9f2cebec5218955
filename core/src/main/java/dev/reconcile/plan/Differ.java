package dev.reconcile.plan;

import dev.reconcile.desired.DesiredAdoption;
import dev.reconcile.desired.DesiredCertificate;
import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredNetwork;
import dev.reconcile.desired.DesiredService;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.DesiredVolume;
import dev.reconcile.desired.Networking;
import dev.reconcile.model.HealthCheck;
import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.observed.ObservedAdoption;
import dev.reconcile.observed.ObservedCertificate;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedNetwork;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.observed.ObservedVolume;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.util.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The entry point of the diff arrow: {@code (DesiredState, ObservedState) -> Plan}. Pure: no I/O,
 * no clock, the same inputs always give the same plan.
 */
public final class Differ {
  private Differ() {}

  public static Plan diff(DesiredState desired, ObservedState observed, DiffOptions options) {
    var changes = new HashMap<ResourceId, Change>();
    desired.all(DesiredNetwork.class).forEach(n -> changes.put(n.id(), network(n, observed)));
    desired.all(DesiredVolume.class).forEach(v -> changes.put(v.id(), volume(v, observed)));
    desired
        .all(DesiredCertificate.class)
        .forEach(c -> changes.put(
            c.id(),
            CertificateDiff.of(c, observed.get(c.id()).map(ObservedCertificate.class::cast))));
    desired
        .all(DesiredContainer.class)
        .forEach(c -> changes.put(
            c.id(),
            ContainerDiff.of(
                c, observed.get(c.id()).map(ObservedContainer.class::cast), observed)));
    desired
        .all(DesiredService.class)
        .forEach(s -> changes.put(
            s.id(), ServiceDiff.of(s, observed.get(s.id()).map(ObservedService.class::cast))));
    desired
        .all(DesiredAdoption.class)
        .forEach(a -> changes.put(
            a.id(),
            AdoptionDiff.of(
                a, observed.get(a.id()).map(ObservedAdoption.class::cast), windows(desired, a))));
    var containerChanges = new HashMap<>(changes);
    desired
        .all(DesiredSite.class)
        .forEach(s -> changes.put(s.id(), SiteDiff.of(s, observed, containerChanges)));
    var all = new ArrayList<>(changes.values());
    observed.resources().values().stream()
        .filter(o -> desired.selection().includes(o.id()) && desired.get(o.id()).isEmpty())
        .forEach(o -> all.add(
            o instanceof ObservedNetwork n && stillDeclared(desired, n.id())
                ? n.networks().stream().allMatch(name -> onNoContainer(name, observed))
                    ? Removals.unused(n)
                    : Removals.kept(n)
                : Removals.of(o, options)));
    observed.strays().stream()
        .filter(s -> desired.selection().includes(s.id()))
        .forEach(s -> all.add(Removals.stray(s)));
    return new Plan(
            desired.digest(),
            observed.digest(),
            PlanOrder.sort(all).stream()
                .map(c -> c.carrying(
                    // A leftover slot's removal is about that slot, not the declaration.
                    c.slot().isPresent() ? Optional.empty() : desired.get(c.id()),
                    foundOf(c, observed)))
                .toList(),
            problems(desired, observed, changes))
        .madeWith(desired.selection(), options);
  }

  private static Change volume(DesiredVolume desired, ObservedState observed) {
    var found = observed.get(desired.id()).map(ObservedResource::specHash);
    var action = found.isPresent() ? Action.NOOP : Action.CREATE;
    var reasons = found.isPresent()
        ? List.<Reason>of()
        : List.of(Reason.of(
            "volume",
            desired
                .adopts()
                .map(from -> "takes over Docker volume " + from + " on host " + desired.host()
                    + ": made on its folder, the data used in place (nothing copied; "
                    + from + " stays); " + writersOf(desired, from, observed))
                .orElse("new volume on host " + desired.host())));
    return new Change(
        desired.id(),
        action,
        Optional.empty(),
        found,
        Optional.of(desired.specHash()),
        Optional.empty(),
        reasons,
        TrafficImpact.NONE,
        List.of());
  }

  /** How long each container of an adoption's environment may take to be healthy. */
  private static Map<String, Duration> windows(DesiredState desired, DesiredAdoption a) {
    var out = new HashMap<String, Duration>();
    desired
        .all(DesiredContainer.class)
        .filter(c -> c.id().environmentKey().equals(a.id().environmentKey()))
        .forEach(c -> out.put(
            c.id().name().orElseThrow(),
            c.spec().health().orElse(HealthCheck.DEFAULT).window()));
    return out;
  }

  /** Who stops first when a container of the adopted ones writes the volume; else the refusal. */
  private static String writersOf(DesiredVolume desired, String from, ObservedState observed) {
    var writers = observed
        .get(ResourceId.adoption(desired.id().project(), desired.id().environment()))
        .map(ObservedAdoption.class::cast)
        .map(ObservedAdoption::running)
        .orElse(List.of())
        .stream()
        .filter(l -> l.volumes().contains(from))
        .map(ObservedAdoption.Legacy::name)
        .toList();
    return writers.isEmpty()
        ? "refused while a container runs on it"
        : String.join(", ", writers) + ", which " + (writers.size() == 1 ? "writes" : "write")
            + " it, stop" + (writers.size() == 1 ? "s" : "") + " first (adopt)";
  }

  /** The environment's network of names; the host's egress network belongs to no environment. */
  private static Change network(DesiredNetwork desired, ObservedState observed) {
    var found = observed.get(desired.id()).map(ObservedNetwork.class::cast);
    var missing = found.filter(n -> n.networks().contains(desired.name())).isEmpty();
    var legacy = Networking.legacyEgress(desired.name());
    var leftOver = found.filter(n -> n.networks().contains(legacy)).isPresent()
        && onNoContainer(legacy, observed);
    var reasons = new ArrayList<Reason>();
    if (missing) {
      reasons.add(Reason.of(
          "network",
          "network " + desired.name() + " (names, internal) on host " + desired.host()
              + (found.isPresent() ? " is missing" : "")));
    }
    if (leftOver) {
      reasons.add(Reason.of(
          "network",
          "network " + legacy + " is left from before the host's " + Networking.EGRESS
              + " and no container is on it: removed"));
    }
    return new Change(
        desired.id(),
        found.isEmpty() ? Action.CREATE : reasons.isEmpty() ? Action.NOOP : Action.UPDATE,
        Optional.empty(),
        found.map(ObservedNetwork::specHash),
        Optional.of(desired.specHash()),
        Optional.empty(),
        reasons,
        TrafficImpact.NONE,
        List.of());
  }

  /**
   * Whether no container found is on this engine network, each one running (a stopped container's
   * networks are not listed, so one that is not running keeps the network).
   */
  private static boolean onNoContainer(String network, ObservedState observed) {
    return Stream.concat(observed.resources().values().stream(), observed.strays().stream())
        .filter(ObservedContainer.class::isInstance)
        .map(ObservedContainer.class::cast)
        .allMatch(c -> c.isRunning() && !c.networks().contains(network));
  }

  /** What a change's resource was found as: for a leftover slot's change, that slot. */
  private static Optional<ObservedResource> foundOf(Change change, ObservedState observed) {
    if (change.slot().isPresent()) {
      return observed.strays().stream()
          .filter(
              s -> s.id().equals(change.id()) && s.slot().equals(change.slot().get()))
          .map(ObservedResource.class::cast)
          .findFirst();
    }
    return observed.get(change.id());
  }

  /** Whether the environment of a network still has containers: they may be on it. */
  private static boolean stillDeclared(DesiredState desired, ResourceId network) {
    return desired
        .all(DesiredContainer.class)
        .anyMatch(c -> c.id().project().equals(network.project())
            && c.id().environment().equals(network.environment()));
  }

  private static List<Problem> problems(
      DesiredState desired, ObservedState observed, Map<ResourceId, Change> changes) {
    var problems = new ArrayList<Problem>();
    observed.conflicts().stream()
        .filter(c -> desired.selection().includes(c.blocks()))
        .forEach(c -> problems.add(new Problem(
            c.blocks(),
            c.describe(),
            "reconcile never touches what it did not create: remove or rename it, "
                + "or change projects.yml")));
    desired
        .all(DesiredContainer.class)
        .filter(c ->
            Checks.present(changes.get(c.id()), "the change of %s", c.id()).action()
                    == Action.REPLACE
                && sharesVolumes(c))
        .forEach(c -> problems.add(new Problem(
            c.id(),
            "a blue-green replacement runs the old and new container side by side, and both "
                + "would write volume " + String.join(", ", c.spec().volumes().keySet()),
            "declare `update: recreate` for single-writer state (a brief outage), or write "
                + "`update: blue-green` to accept two writers")));
    // A volume that exists is not made again: adopting its data now would silently do nothing.
    desired
        .all(DesiredVolume.class)
        .filter(v -> v.adopts().isPresent())
        .forEach(v -> observed
            .get(v.id())
            .map(ObservedVolume.class::cast)
            .filter(found -> !found.adoptedFrom().equals(v.adopts()))
            .ifPresent(found -> problems.add(new Problem(
                v.id(),
                "volume " + found.name() + " exists already and is not made on the data of "
                    + v.adopts().get() + ": adopt.volumes takes effect only when the volume is"
                    + " made, so the environment would keep running on the data " + found.name()
                    + " holds, not " + v.adopts().get() + "'s",
                "if " + found.name() + " holds nothing you need, remove it (docker volume rm "
                    + found.name() + ", with its containers stopped) and apply again; else remove"
                    + " this entry of adopt.volumes"))));
    return problems;
  }

  private static boolean sharesVolumes(DesiredContainer c) {
    return c.spec().updateStrategy() == UpdateStrategy.BLUE_GREEN
        && !c.strategyDeclared()
        && !c.spec().volumes().isEmpty();
  }

  /** Changes for managed resources that are no longer declared. */
  static final class Removals {
    private Removals() {}

    static Change of(ObservedResource found, DiffOptions options) {
      return switch (found) {
        case ObservedContainer c ->
          delete(c, Optional.empty(), TrafficImpact.NONE, "no longer declared in projects.yml");
        case ObservedSite s ->
          delete(
              s,
              Optional.empty(),
              TrafficImpact.REMOVES_SITE,
              "no longer declared: its domains stop being served");
        case ObservedService s ->
          delete(s, Optional.empty(), TrafficImpact.NONE, "no longer declared in projects.yml");
        case ObservedCertificate c ->
          delete(
              c,
              Optional.empty(),
              TrafficImpact.NONE,
              "no longer needed: the environment is served over plain HTTP or no longer declared");
        case ObservedNetwork n ->
          delete(
              n,
              Optional.empty(),
              TrafficImpact.NONE,
              "no longer declared: its networks go with its containers");
        case ObservedVolume v ->
          options.deleteVolumes()
              ? delete(
                  v,
                  Optional.empty(),
                  TrafficImpact.NONE,
                  "no longer declared; deleted with its data (--delete-volumes)")
              : new Change(
                  v.id(),
                  Action.NOOP,
                  Optional.empty(),
                  Optional.of(v.specHash()),
                  Optional.empty(),
                  Optional.empty(),
                  List.of(
                      Reason.of(
                          "volume",
                          "no longer declared; kept because it holds data (--delete-volumes removes it)")),
                  TrafficImpact.NONE,
                  List.of());
        case ObservedAdoption a ->
          // Only a declared adoption is looked for; one no longer declared leaves things be.
          new Change(
              a.id(),
              Action.NOOP,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              List.of(),
              TrafficImpact.NONE,
              List.of());
      };
    }

    /**
     * The networks of an environment that needs no network of names any more (it has one
     * container), or that has an egress network of its own from before the host's: its running
     * containers may still be on them, so they go with the environment.
     */
    static Change kept(ObservedNetwork found) {
      return new Change(
          found.id(),
          Action.NOOP,
          Optional.empty(),
          Optional.of(found.specHash()),
          Optional.empty(),
          Optional.empty(),
          List.of(Reason.of(
              "network", "no longer needed; kept while the environment's containers may be on it")),
          TrafficImpact.NONE,
          List.of());
    }

    /** The networks of an environment that needs none, with no container on them any more. */
    static Change unused(ObservedNetwork found) {
      return delete(
          found,
          Optional.empty(),
          TrafficImpact.NONE,
          "no longer needed (an environment of one container has no network of names; the host's "
              + Networking.EGRESS + " carries its traffic) and no container is on it");
    }

    static Change stray(ObservedContainer stray) {
      return delete(
          stray,
          Optional.of(stray.slot()),
          TrafficImpact.NONE,
          "slot " + stray.slot() + " (" + stray.name()
              + ") is left over from an interrupted apply");
    }

    private static Change delete(
        ObservedResource found, Optional<String> slot, TrafficImpact impact, String why) {
      return new Change(
          found.id(),
          Action.DELETE,
          slot,
          Optional.of(found.specHash()),
          Optional.empty(),
          Optional.empty(),
          List.of(Reason.of("declared", why)),
          impact,
          List.of());
    }
  }
}
