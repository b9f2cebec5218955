package dev.reconcile.plan;

import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Execution order: networks and volumes, certificates, then containers, then sites (traffic moves
 * only to containers that run, and HTTPS only with its certificate in place), then removals in
 * reverse: sites, certificates and containers (after traffic left them), networks and volumes. Removals
 * get their dependencies here, since nothing declares them.
 */
final class PlanOrder {
  private PlanOrder() {}

  static List<Change> sort(List<Change> changes) {
    // Bucket by phase, then sort each bucket by id: the buckets arrive nearly sorted (desired
    // and observed state iterate in id order), which TimSort finishes in linear time.
    var buckets = new ArrayList<List<Change>>();
    for (int i = 0; i < PHASES; i++) {
      buckets.add(new ArrayList<>());
    }
    for (var change : changes) {
      buckets.get(phase(change)).add(withRemovalDependencies(change, changes));
    }
    var out = new ArrayList<Change>(changes.size());
    for (var bucket : buckets) {
      bucket.sort(PlanOrder::compare);
      out.addAll(bucket);
    }
    return out;
  }

  private static final int PHASES = 8;

  private static int compare(Change a, Change b) {
    var c = a.id().compareTo(b.id());
    return c != 0 ? c : a.slot().orElse("").compareTo(b.slot().orElse(""));
  }

  static int phase(Change change) {
    var removal = change.action() == Action.DELETE;
    return switch (change.id().kind()) {
      case NETWORK, VOLUME -> removal ? 7 : 0;
      case CERTIFICATE -> removal ? 5 : 1;
      case CONTAINER, SERVICE -> removal ? 6 : 2;
      case SITE -> removal ? 4 : 3;
      case ADOPTION -> 3;
    };
  }

  private static Change withRemovalDependencies(Change change, List<Change> all) {
    if (change.action() != Action.DELETE || change.id().kind() == ResourceKind.SITE) {
      return change;
    }
    var kind = change.id().kind();
    var before = kind == ResourceKind.VOLUME || kind == ResourceKind.NETWORK
        ? Set.of(ResourceKind.CONTAINER, ResourceKind.SERVICE)
        : Set.of(ResourceKind.SITE);
    var dependsOn = new ArrayList<ResourceId>();
    all.stream()
        .filter(c -> before.contains(c.id().kind())
            && c.action().isChange()
            && c.id().environmentKey().equals(change.id().environmentKey())
            && (before.contains(ResourceKind.SITE) || c.action() == Action.DELETE))
        .map(Change::id)
        .distinct()
        .sorted()
        .forEach(dependsOn::add);
    return change.withDependsOn(dependsOn);
  }
}
