package dev.reconcile.cli;

import dev.reconcile.engine.Hosts;
import dev.reconcile.engine.ObservedStateCollector;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.ObserveTarget;
import dev.reconcile.provider.ObservedBatch;
import dev.reconcile.provider.Provider;
import dev.reconcile.resource.ResourceKind;
import dev.reconcile.testing.ObservedFixture;
import dev.reconcile.validate.SpecValidator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A provider that reports the observed state of a golden plan case ({@code observed.json}), so
 * CLI tests exercise exit codes and formats without arranging a real host. The real providers
 * are tested against a real engine and nginx in the providers module.
 */
final class FixtureProvider implements Provider {
  private final Path observedJson;

  FixtureProvider(Path observedJson) {
    this.observedJson = observedJson;
  }

  static Reconciliation reconciliation(Path observedJson, Map<String, String> env) {
    return new Reconciliation(
        SpecValidator.standard(),
        new ObservedStateCollector(List.of(new FixtureProvider(observedJson)), Hosts.discover()),
        env);
  }

  @Override
  public String name() {
    return "fixture";
  }

  @Override
  public Set<ResourceKind> kinds() {
    return Set.of(ResourceKind.values());
  }

  @Override
  public boolean serves(ObserveTarget target) {
    return true;
  }

  @Override
  public dev.reconcile.provider.Outcome apply(dev.reconcile.provider.ApplyRequest request) {
    throw request.notApplied(this, "a fixture only observes");
  }

  @Override
  public ObservedBatch observe(ObserveRequest request) {
    if (!(request.target() instanceof FrontDoor)) {
      return new ObservedBatch(List.of(), List.of(), List.of());
    }
    var state = ObservedFixture.read(observedJson, request.desired());
    var resources =
        new ArrayList<dev.reconcile.observed.ObservedResource>(state.resources().values());
    resources.addAll(state.strays());
    return new ObservedBatch(resources, state.conflicts(), state.tags());
  }
}
