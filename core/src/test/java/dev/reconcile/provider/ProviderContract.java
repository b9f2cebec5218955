package dev.reconcile.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reconcile.desired.DesiredResource;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Selection;
import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.TrafficImpact;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.ResourceKind;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Provider} promises, run against each implementation on each kind of host (as
 * docker-java and Caffeine run one suite against every implementation): observation finds what is
 * there and changes nothing; {@link Provider#apply} is idempotent, so a retried or repeated apply
 * is safe; a change it cannot apply alone is refused, not half-done.
 */
public abstract class ProviderContract {
  /** The provider under test. */
  protected abstract Provider provider();

  /** Where it looks and applies: a real engine or front door, with names of this test alone. */
  protected abstract ObserveTarget target();

  /**
   * Makes one managed resource of the provider's kind on the target, the way a rollout would
   * (through the provider's own steps), and returns its id.
   */
  protected abstract ResourceId make() throws Exception;

  /**
   * A resource {@link Provider#apply} creates on its own ({@link Action#CREATE}), if the provider
   * creates any kind alone; empty when every creation is a rollout step.
   */
  protected abstract Optional<DesiredResource> creatable();

  /** The owner id observation filters on (the state directory's). */
  protected abstract String owner();

  private List<ObservedResource> observe() throws ProviderException {
    return provider()
        .observe(new ObserveRequest(target(), new DesiredState(java.util.Map.of(), Selection.ALL)))
        .resources();
  }

  private Optional<ObservedResource> observed(ResourceId id) throws ProviderException {
    return observe().stream().filter(r -> r.id().equals(id)).findFirst();
  }

  private ApplyRequest request(ResourceId id, Action action, Optional<DesiredResource> desired)
      throws ProviderException {
    var change = new Change(
        id,
        action,
        Optional.empty(),
        Optional.empty(),
        desired.map(DesiredResource::specHash),
        Optional.<UpdateStrategy>empty(),
        List.of(),
        TrafficImpact.NONE,
        List.of());
    return new ApplyRequest(target(), change, desired, observed(id), owner());
  }

  @Test
  void serves_itsTarget_andOwnsSomeKind() {
    assertThat(provider().serves(target())).isTrue();
    assertThat(provider().kinds()).isNotEmpty();
  }

  @Test
  void capabilities_areObjectsOfACapabilityInterface_foundByIt() {
    var known = List.of(
        ContainerRuntime.class, ServiceRuntime.class, SiteControl.class, VolumeArchives.class);
    for (var capability : provider().capabilities()) {
      var kinds = known.stream().filter(k -> k.isInstance(capability)).toList();
      assertThat(kinds)
          .as("what " + capability.getClass().getSimpleName() + " can do")
          .isNotEmpty();
      for (var kind : kinds) {
        assertThat(Capabilities.find(List.of(provider()), kind))
            .as(kind.getSimpleName())
            .isPresent();
      }
    }
  }

  @Test
  void observe_findsWhatWasMade_andChangesNothing() throws Exception {
    var id = make();

    var first = observe();
    var second = observe();

    assertThat(first).extracting(ObservedResource::id).contains(id);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void prepare_besideAnObservation_changesNothingItFinds() throws Exception {
    var id = make();
    var before = observe();

    var beside = CompletableFuture.runAsync(provider()::prepare);
    var during = observe();
    beside.get(60, TimeUnit.SECONDS);
    provider().prepare();

    assertThat(during).isEqualTo(before);
    assertThat(observe()).isEqualTo(before).extracting(ObservedResource::id).contains(id);
  }

  @Test
  void apply_delete_removesIt_andAgainIsAlreadyAbsent() throws Exception {
    var id = make();

    var removed = provider().apply(request(id, Action.DELETE, Optional.empty()));
    var again = provider().apply(request(id, Action.DELETE, Optional.empty()));

    assertThat(removed).isInstanceOf(Outcome.Deleted.class);
    assertThat(removed.id()).isEqualTo(id);
    assertThat(again).isInstanceOf(Outcome.AlreadyAbsent.class);
    assertThat(observed(id)).isEmpty();
  }

  @Test
  void apply_create_makesIt_andAgainIsUnchanged() throws Exception {
    assumeTrue(creatable().isPresent(), "this provider creates nothing outside a rollout");
    var desired = creatable().get();

    var created = provider().apply(request(desired.id(), Action.CREATE, Optional.of(desired)));
    var again = provider().apply(request(desired.id(), Action.CREATE, Optional.of(desired)));

    assertThat(created).isInstanceOf(Outcome.Created.class);
    assertThat(again).isInstanceOf(Outcome.Unchanged.class);
    assertThat(observed(desired.id()))
        .hasValueSatisfying(r -> assertThat(r.specHash()).isEqualTo(desired.specHash()));
    provider().apply(request(desired.id(), Action.DELETE, Optional.empty()));
  }

  @Test
  void apply_kindItDoesNotOwn_isRefusedWithoutChangingAnything() throws Exception {
    var other = java.util.Arrays.stream(ResourceKind.values())
        .filter(k -> !provider().kinds().contains(k))
        .findFirst();
    assumeTrue(other.isPresent(), "this provider owns every kind");
    var id = switch (other.get()) {
      case VOLUME -> ResourceId.volume("rcct", "production", "data");
      case CONTAINER -> ResourceId.container("rcct", "production", "web");
      case SITE -> ResourceId.site("rcct", "production");
      case CERTIFICATE -> ResourceId.certificate("rcct", "production");
      case SERVICE -> ResourceId.service("rcct", "production", "web");
      case NETWORK -> ResourceId.network("rcct", "production");
      case ADOPTION -> ResourceId.adoption("rcct", "production");
    };
    var before = observe();

    assertThatThrownBy(() -> provider().apply(request(id, Action.DELETE, Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(id.toString());
    assertThat(observe()).isEqualTo(before);
  }
}
