package dev.reconcile.drift;

import java.util.List;

/** Everything found, and where each environment stands. */
public record DriftReport(List<DriftItem> items, List<EnvironmentStatus> environments) {
  public DriftReport {
    items = List.copyOf(items);
    environments = List.copyOf(environments);
  }

  public boolean inSync() {
    return items.isEmpty();
  }

  public long count(DriftClass driftClass) {
    return items.stream().filter(i -> i.driftClass() == driftClass).count();
  }

  /** The environments with drift (not only pending changes), in order. */
  public List<String> drifted() {
    return items.stream()
        .filter(i -> i.driftClass() == DriftClass.DRIFT)
        .map(DriftItem::environment)
        .distinct()
        .sorted()
        .toList();
  }

  /** The environments with pending changes, in order. */
  public List<String> pending() {
    return items.stream()
        .filter(i -> i.driftClass() == DriftClass.PENDING)
        .map(DriftItem::environment)
        .distinct()
        .sorted()
        .toList();
  }
}
