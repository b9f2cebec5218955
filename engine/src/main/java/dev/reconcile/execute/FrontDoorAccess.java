package dev.reconcile.execute;

import dev.reconcile.desired.DesiredCertificate;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.plan.SiteDiff;
import dev.reconcile.provider.ContainerRuntime.RunningSlot;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.util.Certificates;
import dev.reconcile.util.TlsTrust;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.X509TrustManager;

/**
 * The front door of one environment's host as its rollout uses it: sites switched (alone, or in
 * one batch with the apply's other environments on this front door), the upstreams a site is
 * rendered with, where this machine reaches nginx, and whom checks over HTTPS trust.
 */
final class FrontDoorAccess {
  /** How long a reload may take to show: nginx starts new workers, old ones finish their requests. */
  static final Duration RELOAD_LIMIT = Duration.ofSeconds(10);

  private final RolloutContext ctx;
  private final RolloutJournal journal;
  private final Probes probes;
  private final FrontDoor door;
  private final FileLock lock;
  /** Told once the rollout only waits: for the other environments' switch, the bake, the drain. */
  private final Runnable waiting;
  /** Its place among the environments of this apply that switch the same front door together. */
  private final SwitchTogether.Party together;

  private final EnvironmentChanges plan;
  /** Whom checks over HTTPS trust: the JDK's CAs, ca_bundle's, and the certificate installed. */
  private Optional<X509TrustManager> trust = Optional.empty();

  FrontDoorAccess(
      RolloutContext ctx,
      RolloutJournal journal,
      Probes probes,
      FrontDoor door,
      FileLock lock,
      Runnable waiting,
      SwitchTogether.Party together,
      EnvironmentChanges plan) {
    this.plan = plan;
    this.ctx = ctx;
    this.journal = journal;
    this.probes = probes;
    this.door = door;
    this.lock = lock;
    this.waiting = waiting;
    this.together = together;
  }

  FrontDoor door() {
    return door;
  }

  FileLock lock() {
    return lock;
  }

  Optional<X509TrustManager> trust() {
    return trust;
  }

  /** This environment will not switch with the others of the apply (it failed, or has no switch). */
  void leave() {
    together.leave();
  }

  /**
   * Has a site judged, installed and reloaded with whatever else this front door switches now;
   * {@code withOthers}: first waits until the other environments of the apply on this front door
   * have queued their sites too (or left), so that one batch and one reload take them all.
   * From the moment it is queued a rollback must put the previous site back: another
   * environment's batch may install it while this thread waits.
   */
  SiteSwitches.Result.Switched switchSite(
      ResourceId site, String text, String refused, boolean withOthers)
      throws StepFailed, ProviderException, InterruptedException {
    var before = journal.siteInstalled();
    journal.siteInstalled(true);
    var switches = new SiteSwitches(door, lock, ctx.sites(), ctx.retry());
    var queued = switches.queue(site, text);
    if (withOthers) {
      waiting.run();
      try {
        together.arriveAndWait(
            site,
            ctx.cancellation(),
            left -> ctx.listener()
                .progress(
                    site,
                    "ready; waiting for " + left + " more environment" + (left == 1 ? "" : "s")
                        + " of this apply to switch with it (one reload for all)"));
      } catch (StepFailed | InterruptedException | RuntimeException e) {
        if (switches.withdraw(queued)) {
          journal.siteInstalled(before);
        }
        throw e;
      }
    }
    switch (switches.await(queued)) {
      case SiteSwitches.Result.Switched s -> {
        return s;
      }
      case SiteSwitches.Result.Rejected r -> {
        journal.siteInstalled(before);
        throw new StepFailed(site, "nginx -t", refused + ":\n" + r.output());
      }
      case SiteSwitches.Result.Failed f -> {
        journal.siteInstalled(before || f.installed());
        if (f.cause() instanceof ProviderException p) {
          throw p;
        }
        if (f.cause() instanceof InterruptedException i) {
          throw i;
        }
        throw new IllegalStateException(f.cause());
      }
    }
  }

  /** Renders the site with the tasks healthy now, switches nginx to it, and waits until it serves it. */
  void moveTo(DesiredSite site) throws StepFailed, ProviderException, InterruptedException {
    var text = ctx.sites().render(door, site, upstreams(site));
    var switched =
        switchSite(site.id(), text, "the site with the service's new tasks was refused", false);
    var revision = ctx.sites().revision(text);
    if (revision.isPresent()) {
      probes.awaitServed(
          site.id(),
          site.fingerprint().domains().getFirst(),
          revision.get(),
          Optional.empty(),
          address(site.fingerprint().tls().isPresent()),
          RELOAD_LIMIT,
          trust,
          Probes.settle(switched));
    }
  }

  /** Where this machine reaches nginx on the front door's host, over HTTPS or plain HTTP. */
  InetSocketAddress address(boolean tls) throws ProviderException {
    var at = tls ? door.nginx().tlsProbeAddress() : door.nginx().probeAddress();
    return RolloutContext.reach(door.host(), at.host(), at.port());
  }

  /**
   * Each component's upstream: the slot this rollout started, else the one that runs; a service's
   * healthy tasks as last seen, else as observed.
   */
  Map<String, String> upstreams(DesiredSite site) {
    var out = new LinkedHashMap<String, String>();
    for (var component : site.fingerprint().components()) {
      var service = ResourceId.service(site.id().project(), site.id().environment(), component);
      if (site.dependsOn().contains(service)) {
        // Each healthy task of the service, on the host port the engine gave it.
        journal
            .serviceAddresses(service)
            .or(() ->
                plan.found(service, ObservedService.class).map(ObservedService::taskAddresses))
            .filter(p -> !p.isEmpty())
            .ifPresent(p -> out.put(component, SiteDiff.upstream(p)));
        continue;
      }
      var id = ResourceId.container(site.id().project(), site.id().environment(), component);
      journal
          .startedFor(id)
          .flatMap(RunningSlot::address)
          .or(() -> plan.found(id, ObservedContainer.class)
              .filter(c -> c.hostPort().isPresent())
              .map(c -> "127.0.0.1:" + c.hostPort().getAsInt()))
          .ifPresent(address -> out.put(component, address));
    }
    return out;
  }

  /**
   * Checks through nginx over HTTPS from now on trust what a browser would (the JDK's CAs), the
   * CAs of ca_bundle, and the very certificate installed for the site: a staging CA's certificate
   * is then checked as served, not refused as unknown.
   */
  void trustWhatServes(DesiredSite site) throws StepFailed, ProviderException {
    var extra = new ArrayList<X509Certificate>();
    var id = ResourceId.certificate(site.id().project(), site.id().environment());
    var certificate = plan.declared(id, DesiredCertificate.class);
    try {
      if (certificate.isPresent()
          && certificate.get().source() instanceof DesiredCertificate.Source.Acme a
          && a.caBundle().isPresent()) {
        extra.addAll(TlsTrust.read(Path.of(a.caBundle().get())));
      }
      var text = door.host().read(door.certificateFile(id));
      if (text.isPresent()) {
        extra.add(Certificates.leaf(text.get()));
      }
    } catch (IOException | CertificateException e) {
      throw new StepFailed(
          site.id(), "tls", "cannot read the certificates to check HTTPS with: " + e.getMessage());
    }
    trust = Optional.of(TlsTrust.trusting(extra));
  }
}
