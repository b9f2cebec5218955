package dev.reconcile.rollback;

import dev.reconcile.desired.DesiredResource;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Variables;
import dev.reconcile.history.SnapshotStore;
import dev.reconcile.host.StateHome;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.resource.ResourceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** The holds of the selected environments, and the desired state that keeps them held. */
public final class Holds {
  private Holds() {}

  public static List<Hold> of(StateHome home, PlatformSpec spec, DesiredState desired)
      throws IOException {
    var out = new ArrayList<Hold>();
    for (var project : spec.projects().values()) {
      for (var environment : project.environmentNames()) {
        if (desired.selection().includes(project.name(), environment)) {
          Hold.read(home, project.name(), environment).ifPresent(out::add);
        }
      }
    }
    return out;
  }

  /** The desired state with each held environment replaced by its snapshot's. */
  public static DesiredState keep(
      DesiredState desired,
      List<Hold> holds,
      SnapshotStore store,
      PlatformSpec spec,
      Variables variables,
      SnapshotState.Images images)
      throws IOException, SnapshotState.Refused {
    var resources = new HashMap<ResourceId, DesiredResource>(desired.resources());
    for (var hold : holds) {
      var snapshot = store.list(hold.project(), hold.environment()).stream()
          .filter(s -> s.serial() == hold.serial())
          .findFirst()
          .orElseThrow(
              () -> new SnapshotState.Refused(hold.environmentKey() + " is held at snapshot #"
                  + hold.serial() + ", which is no longer in the history; release the hold with "
                  + "'reconcile apply --release --project " + hold.project() + " --env "
                  + hold.environment() + "'"));
      resources.keySet().removeIf(id -> id.environmentKey().equals(hold.environmentKey()));
      resources.putAll(SnapshotState.of(snapshot, spec, variables, images).resources());
    }
    return new DesiredState(resources, desired.selection());
  }
}
