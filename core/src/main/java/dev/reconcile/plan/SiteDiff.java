package dev.reconcile.plan;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.observed.Serving;
import dev.reconcile.resource.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The change for one declared site, given the changes already planned for its containers. */
public final class SiteDiff {
  private SiteDiff() {}

  static Change of(
      DesiredSite desired, ObservedState observed, Map<ResourceId, Change> containers) {
    var found = observed.get(desired.id()).map(ObservedSite.class::cast);
    if (found.isEmpty()) {
      return change(desired, Action.CREATE, found, createReasons(desired));
    }
    var reasons = new ArrayList<Reason>();
    var site = found.get();
    if (site.editedOutside()) {
      reasons.add(Reason.of(
          "content",
          "edited outside reconcile (" + site.path()
              + " no longer matches its header hash); apply rewrites it"));
    }
    if (site.rendersDifferently()) {
      reasons.add(Reason.of(
          "rendering",
          "the front door renders this site differently now (reconcile upgraded, or a plugin that"
              + " renders sites added, removed or changed); apply rewrites it"));
    }
    servingReason(site).ifPresent(reasons::add);
    if (!site.specHash().equals(desired.specHash())) {
      reasons.addAll(site.recorded()
          .map(r -> FingerprintReasons.site(r, desired.fingerprint()))
          .orElseGet(
              () -> List.of(Reason.changed("spec-hash", site.specHash(), desired.specHash()))));
    }
    reasons.addAll(upstreamReasons(desired, site, observed, containers));
    return change(desired, reasons.isEmpty() ? Action.NOOP : Action.UPDATE, found, reasons);
  }

  /** Why nginx must be reloaded or started although the file may be right. */
  private static Optional<Reason> servingReason(ObservedSite site) {
    return switch (site.serving()) {
      case Serving.Serves s ->
        site.revision()
            .filter(r -> !r.equals(s.revision()))
            .map(r -> Reason.of(
                "served",
                "nginx serves revision " + s.revision() + ", not the installed file's " + r
                    + " (it was installed but never loaded); apply reloads"));
      case Serving.NotServed n ->
        Optional.of(Reason.of(
            "served", "nginx does not serve this site (" + n.answer() + "); apply reloads"));
      case Serving.Down d ->
        Optional.of(Reason.of(
            "served", d.why() + ": the site is offline; " + "apply starts or reloads nginx"));
      case Serving.Unknown u -> Optional.empty();
    };
  }

  private static List<Reason> createReasons(DesiredSite desired) {
    var reasons = new ArrayList<Reason>();
    reasons.add(Reason.of(
        "domains", "domains " + String.join(", ", desired.fingerprint().domains())));
    desired
        .fingerprint()
        .routes()
        .forEach(r -> reasons.add(
            Reason.of("route " + r.location(), "route " + r.location() + " -> " + r.component())));
    desired
        .fingerprint()
        .tls()
        .ifPresent(t -> reasons.add(
            Reason.of("tls", "served over HTTPS on " + t.listen() + "; plain HTTP redirects")));
    return reasons;
  }

  private static List<Reason> upstreamReasons(
      DesiredSite desired,
      ObservedSite site,
      ObservedState observed,
      Map<ResourceId, Change> containers) {
    var reasons = new ArrayList<Reason>();
    for (var component : desired.fingerprint().components()) {
      var service =
          ResourceId.service(desired.id().project(), desired.id().environment(), component);
      var swarm = desired.dependsOn().contains(service);
      var id = swarm
          ? service
          : ResourceId.container(desired.id().project(), desired.id().environment(), component);
      var field = "upstream " + component;
      var planned = Optional.ofNullable(containers.get(id)).map(Change::action).orElse(Action.NOOP);
      if (planned == Action.CREATE
          || planned == Action.REPLACE
          || swarm && planned == Action.UPDATE) {
        reasons.add(Reason.of(
            field,
            field
                + (swarm
                    ? " follows the service's new tasks"
                    : site.upstreams().containsKey(component)
                        ? " switches to the new container"
                        : " goes to the new container")
                + (site.routedLive()
                    ? ", in the running nginx (no reload)"
                    : " at a reload of nginx")));
        continue;
      }
      var now = site.upstreams().get(component);
      if (swarm) {
        // A service's traffic goes to its healthy tasks, each on a port of its own.
        var tasks = observed
            .get(id)
            .map(ObservedService.class::cast)
            .map(s -> upstream(s.taskAddresses()))
            .filter(t -> !t.isEmpty());
        if (tasks.isPresent() && !tasks.get().equals(now)) {
          reasons.add(Reason.of(
              field,
              field + " points at " + (now == null ? "nothing" : now)
                  + ", but its service's healthy tasks listen on " + tasks.get()));
        }
        continue;
      }
      var port = observed.get(id).flatMap(SiteDiff::port);
      if (port.isPresent() && (now == null || !now.endsWith(":" + port.get()))) {
        reasons.add(Reason.of(
            field,
            field + " points at " + (now == null ? "nothing" : now) + ", but its "
                + (swarm ? "service is published" : "container listens") + " on 127.0.0.1:"
                + port.get()));
      }
    }
    return reasons;
  }

  /** Where a container takes the site's traffic on this machine. */
  private static Optional<Integer> port(ObservedResource found) {
    return found instanceof ObservedContainer c && c.hostPort().isPresent()
        ? Optional.of(c.hostPort().getAsInt())
        : Optional.empty();
  }

  /** The upstream of a service: its tasks' addresses ({@code NODE:PORT}), comma-separated, in order. */
  public static String upstream(List<String> addresses) {
    return String.join(",", addresses);
  }

  private static Change change(
      DesiredSite desired, Action action, Optional<ObservedSite> found, List<Reason> reasons) {
    return new Change(
        desired.id(),
        action,
        Optional.empty(),
        found.map(ObservedSite::specHash),
        Optional.of(desired.specHash()),
        Optional.empty(),
        reasons,
        TrafficImpact.NONE,
        desired.dependsOn());
  }
}
