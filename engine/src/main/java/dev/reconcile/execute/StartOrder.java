package dev.reconcile.execute;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.plan.Change;
import dev.reconcile.resource.ResourceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * The order containers of one environment start in: each after the ones it {@code depends_on}
 * (validation rules out cycles), otherwise in plan order.
 */
final class StartOrder {
  private StartOrder() {}

  static List<Change> of(List<Change> containers) {
    var pending = new LinkedHashMap<ResourceId, Change>();
    containers.forEach(c -> pending.put(c.id(), c));
    var out = new ArrayList<Change>();
    while (!pending.isEmpty()) {
      var next = pending.values().stream()
          .filter(c -> ready(c, pending.keySet()))
          .findFirst()
          // A cycle cannot pass validation; should one get here, plan order it is.
          .orElse(pending.values().iterator().next());
      pending.remove(next.id());
      out.add(next);
    }
    return out;
  }

  /** Whether none of the containers it depends on is still to start. */
  private static boolean ready(Change change, Set<ResourceId> pending) {
    var container = change
        .declared()
        .filter(DesiredContainer.class::isInstance)
        .map(DesiredContainer.class::cast);
    return container
        .map(c -> c.spec().dependsOn().stream()
            .map(name ->
                ResourceId.container(change.id().project(), change.id().environment(), name))
            .noneMatch(pending::contains))
        .orElse(true);
  }
}
