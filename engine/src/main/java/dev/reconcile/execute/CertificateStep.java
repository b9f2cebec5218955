package dev.reconcile.execute;

import dev.reconcile.desired.DesiredCertificate;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.observed.ObservedCertificate;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.plan.Change;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.ResourceKind;
import java.util.List;
import java.util.Optional;

/**
 * The environment's certificate obtained or renewed, or installed from files, before any
 * container starts (a refused order costs nothing to undo). Nginx reads it at the site switch,
 * which then checks that nginx presents it.
 */
final class CertificateStep {
  private final RolloutContext ctx;
  private final RolloutJournal journal;
  private final FrontDoorAccess frontDoor;
  private final EnvironmentChanges plan;

  CertificateStep(
      RolloutContext ctx,
      RolloutJournal journal,
      FrontDoorAccess frontDoor,
      EnvironmentChanges plan) {
    this.plan = plan;
    this.ctx = ctx;
    this.journal = journal;
    this.frontDoor = frontDoor;
  }

  /** With the front door's lock held: an order has nginx answer the CA's challenges, which means reloads. */
  void certify(Change change) throws StepFailed, ProviderException, InterruptedException {
    ctx.cancellation().check(change.id());
    var desired = change.declared(DesiredCertificate.class);
    if (desired.source() instanceof DesiredCertificate.Source.Acme) {
      answerChallengesFirst(ResourceId.site(change.id().project(), change.id().environment()));
      ctx.listener()
          .progress(
              change.id(),
              "asking " + desired.origin() + " for " + String.join(", ", desired.domains()));
    }
    Outcome outcome;
    try (var held = frontDoor.lock().hold()) {
      outcome = ctx.apply(frontDoor.door(), change);
    } catch (ProviderException e) {
      throw StepFailed.of(change.id(), e);
    }
    ctx.listener().step(change.id(), outcome.describe());
    journal.newCertificate(installed(change.id()).map(ObservedCertificate::fingerprint));
    CrashPoints.reached("certificate-installed");
  }

  /**
   * The CA fetches its challenge from the site's domains, which the installed site serves: one
   * rendered before sites answered challenges is rendered again as it is (same routes, same
   * upstreams) with the answers included, and switched like any site.
   */
  private void answerChallengesFirst(ResourceId site)
      throws StepFailed, ProviderException, InterruptedException {
    var door = frontDoor.door();
    var installed = ctx.sites().installed(door, site);
    var observed = plan.found(site, ObservedSite.class).filter(s -> s.recorded().isPresent());
    if (installed.isEmpty()
        || ctx.sites().answersChallenges(door, installed.get())
        || observed.isEmpty()) {
      return;
    }
    var recorded = observed.get().recorded().get();
    var same = new DesiredSite(site, recorded, recorded.specHash(), List.of(), ctx.snippetOf(site));
    var text = ctx.sites().render(door, same, observed.get().upstreams());
    frontDoor.switchSite(site, text, "the site rendered again to answer the CA was refused", false);
    ctx.listener().step(site, "rendered again as it is, now answering the CA's challenges");
  }

  /** The certificate as the front door holds it now, read back through its provider. */
  private Optional<ObservedCertificate> installed(ResourceId id) throws ProviderException {
    for (var provider : ctx.providers()) {
      if (provider.serves(frontDoor.door())
          && provider.kinds().contains(ResourceKind.CERTIFICATE)) {
        return provider
            .observe(new ObserveRequest(frontDoor.door(), ctx.desired()))
            .resources()
            .stream()
            .filter(r -> r.id().equals(id))
            .map(ObservedCertificate.class::cast)
            .findFirst();
      }
    }
    return Optional.empty();
  }
}
