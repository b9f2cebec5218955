package dev.reconcile.provider;

import dev.reconcile.desired.DesiredResource;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.plan.Change;
import java.util.Optional;

/**
 * One change for a provider to apply, with what it needs to know.
 *
 * @param target where: the Docker host or the front door the resource lives on
 * @param desired the resource as declared; empty for a deletion
 * @param observed the resource as observed when the plan was made; empty when it did not exist
 * @param owner the id of the state directory: what the provider creates carries it
 */
public record ApplyRequest(
    ObserveTarget target,
    Change change,
    Optional<DesiredResource> desired,
    Optional<ObservedResource> observed,
    String owner) {

  /** The refusal for a change a provider does not apply alone, worded the same by every provider. */
  public IllegalArgumentException notApplied(Provider provider, String why) {
    return new IllegalArgumentException(provider.name() + " does not apply "
        + change.action().word() + " " + change.label() + " on its own: " + why);
  }
}
