package dev.reconcile.execute;

import dev.reconcile.desired.DesiredCertificate;
import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredService;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.history.Snapshot;
import dev.reconcile.host.Host;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.observed.ObservedCertificate;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.SiteDiff;
import dev.reconcile.provider.ContainerRuntime.RunningSlot;
import dev.reconcile.provider.ContainerRuntime.SlotLaunch;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.ObserveRequest;
import dev.reconcile.provider.Outcome;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.ServiceRuntime;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.ResourceKind;
import dev.reconcile.traffic.AccessLogs;
import dev.reconcile.traffic.Request;
import dev.reconcile.util.Certificates;
import dev.reconcile.util.TlsTrust;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.X509TrustManager;

/**
 * The changes of one project environment, in the order of design.md: volumes, new slots beside
 * the old (health, smoke at the slot), the site switch (nginx -t, atomic install, reload, smoke
 * through nginx during the bake), drain, removal of old slots, then deletions. What it did is
 * kept, so a failure or a cancellation undoes exactly that and says exactly what it undid.
 */
final class EnvironmentRollout {
  /** How long a reload may take to show: nginx starts new workers, old ones finish their requests. */
  private static final Duration RELOAD_LIMIT = Duration.ofSeconds(10);

  private final RolloutContext ctx;
  private final List<Change> changes;
  private final Probes probes;
  private final RetryPolicy retry;
  private final Map<String, PortAllocator> ports;
  private final List<RunningSlot> started = new ArrayList<>();
  /** Old slots stopped by {@code update: recreate}: started again on a rollback. */
  private final List<ObservedContainer> stopped = new ArrayList<>();
  private final List<ObservedContainer> retired = new ArrayList<>();
  /** When this rollout's site switch was reloaded (System.nanoTime); 0 before. */
  private long switchedAt;
  /**
   * When nginx began sending all of the last rolled service's traffic to its new tasks while the
   * engine still watched them (System.nanoTime; 0 when not): the bake began then.
   */
  private long bakingSince;
  /** The smoke rounds run since then. */
  private int bakedRounds;
  /** The size of the site's access log at the switch, when it could be read: the bake reads on from it. */
  private Optional<Long> logOffset = Optional.empty();
  /** The release commands this rollout ran, for the snapshot. */
  private final List<Snapshot.Release> releases = new CopyOnWriteArrayList<>();
  /** Old slots whose names this rollout took away: a rollback gives them back. */
  private final List<ObservedContainer> unnamed = new ArrayList<>();
  /** Services this rollout created or updated: a rollback puts back what each replaced. */
  private final List<ServiceRuntime.Rolled> rolled = new ArrayList<>();
  /** The host ports of each service's healthy tasks, as last seen: its site's upstream. */
  private final Map<ResourceId, List<String>> serviceAddresses = new HashMap<>();
  /** The site's file as it was before this rollout; empty when it was not installed. */
  private Optional<String> previousSite = Optional.empty();
  private boolean siteInstalled;
  /** The SHA-256 of a certificate this rollout installed: nginx must present it after the reload. */
  private Optional<String> newCertificate = Optional.empty();
  /** Whom checks over HTTPS trust: the JDK's CAs, ca_bundle's, and the certificate installed. */
  private Optional<X509TrustManager> tlsTrust = Optional.empty();
  /** The front door of the environment's host, and its lock. */
  private FrontDoor door;
  private FileLock doorLock;

  /** Told once the rollout only waits: for the other environments' switch, the bake, the drain. */
  private final Runnable waiting;
  /** Its place among the environments of this apply that switch the same front door together. */
  private final SwitchTogether.Party together;

  EnvironmentRollout(RolloutContext ctx, List<Change> changes, Map<String, PortAllocator> ports) {
    this(ctx, changes, ports, () -> {}, SwitchTogether.alone());
  }

  EnvironmentRollout(RolloutContext ctx, List<Change> changes, Map<String, PortAllocator> ports, Runnable waiting,
      SwitchTogether.Party together) {
    this.waiting = waiting;
    this.together = together;
    this.ctx = ctx;
    this.changes = List.copyOf(changes);
    this.retry = ctx.retry();
    this.probes = new Probes(ctx.runtime(), ctx.listener(), retry, Waits.real(ctx.cancellation()));
    this.ports = ports;
  }

  /** Runs the changes; on any failure undoes what it did and throws, saying what was undone. */
  void run() throws StepFailed {
    var siteId = changes.getFirst().id();
    var site = ResourceId.site(siteId.project(), siteId.environment());
    Optional<String> previous;
    try {
      door = ctx.doorOf(host(siteId));
      doorLock = ctx.lockOf(host(siteId));
      previous = ctx.sites().installed(door, site);
      previousSite = previous;
    } catch (ProviderException e) {
      together.leave();
      throw StepFailed.of(site, e);
    }
    try {
      // The pre-deploy backup (design.md: after the lock, before anything changes) belongs here,
      // once backups exist.
      for (var change : changes.stream().filter(c -> c.id().kind() == ResourceKind.NETWORK)
          .filter(c -> c.action() == Action.CREATE || c.action() == Action.UPDATE).toList()) {
        ctx.listener().step(change.id(), retry.call(() -> ctx.apply(ctx.dockerTarget(host(change.id())),
            change, ctx.desired().get(change.id()), ctx.observed().get(change.id()))).describe());
      }
      for (var change : byKind(ResourceKind.VOLUME)) {
        ctx.listener().step(change.id(), retry.call(() -> ctx.apply(ctx.dockerTarget(host(change.id())),
            change, ctx.desired().get(change.id()), ctx.observed().get(change.id()))).describe());
      }
      // Before any container starts: a refused order costs nothing to undo.
      for (var change : certificateChanges()) {
        certify(change);
      }
      var desiredSite = ctx.desired().get(site).map(DesiredSite.class::cast);
      if (desiredSite.isPresent() && desiredSite.get().fingerprint().tls().isPresent()) {
        tlsTrust = Optional.of(trust(desiredSite.get()));
      }
      // Containers joining their network in place first: the new slots may call them by name.
      for (var change : changes.stream().filter(c -> c.id().kind() == ResourceKind.CONTAINER
          && c.action() == Action.UPDATE).toList()) {
        joinInPlace(change);
      }
      for (var change : StartOrder.of(byKind(ResourceKind.CONTAINER), ctx.desired())) {
        awaitDependencies(change);
        roll(change);
      }
      for (var change : serviceChanges()) {
        rollService(change);
      }
      if (desiredSite.isPresent() && needsSwitch(site)) {
        switchTraffic(desiredSite.get());
      } else {
        together.leave();
      }
      unnameRetired();
      CrashPoints.reached("names-moved");
      drain(site);
    } catch (StepFailed e) {
      together.leave();
      throw e.withUndo(rollBack(site, previous));
    } catch (ProviderException e) {
      together.leave();
      throw StepFailed.of(site, e).withUndo(rollBack(site, previous));
    } catch (InterruptedException e) {
      together.leave();
      throw new StepFailed(site, "interrupted", "the apply was interrupted").withUndo(rollBack(site, previous));
    } catch (RuntimeException e) {
      together.leave();
      rollBack(site, previous);
      throw e;
    }
    // Past the drain nothing is rolled back: the new slots serve and the old ones go.
    try {
      finish(door, doorLock);
    } catch (ProviderException e) {
      throw StepFailed.of(site, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed(site, "interrupted", "interrupted while removing old slots; the new ones serve");
    }
  }

  private void roll(Change change) throws StepFailed, ProviderException, InterruptedException {
    ctx.cancellation().check(change.id());
    var desired = (DesiredContainer) ctx.desired().get(change.id()).orElseThrow();
    var host = host(change.id());
    var old = ctx.observed().get(change.id()).map(ObservedContainer.class::cast);
    var slot = old.map(o -> o.slot().equals("blue") ? "green" : "blue").orElse("blue");
    freeSlotName(change.id(), slot);
    var recreate = change.action() == Action.REPLACE && old.isPresent()
        && desired.spec().updateStrategy() == UpdateStrategy.RECREATE;
    if (desired.spec().release().isPresent()) {
      release(change, desired, host, slot);
    }
    if (recreate) {
      // Single-writer state: the old one stops (gracefully) before the new one starts.
      stopped.add(old.get());
      ctx.listener().step(change.id(), ctx.runtime().stop(host, change.id(), old.get().name()).describe()
          + " (update: recreate; its traffic is interrupted until the new one serves)");
    }
    // A slot beside the old one takes the names only once healthy (namesTo); else at once.
    var besideOld = change.action() == Action.REPLACE && old.isPresent() && !recreate;
    var running = ports.get(host.name()).launch(desired.isRouted(), port -> ctx.runtime().start(host,
        new SlotLaunch(desired, slot, port, Environment.resolve(ctx, desired), ctx.owner(), !besideOld)));
    if (running.isEmpty()) {
      throw new StepFailed(change.id(), "port", "no free port left in platform.ports "
          + ctx.spec().platform().ports());
    }
    started.add(running.get());
    ctx.listener().step(change.id(), "started " + running.get().name()
        + running.get().address().map(a -> " on " + a).orElse(""));
    CrashPoints.reached("slot-started");
    var at = running.get().hostPort().isPresent()
        ? Optional.of(reach(ctx.machine(host), "127.0.0.1", running.get().hostPort().getAsInt()))
        : Optional.<InetSocketAddress>empty();
    probes.awaitHealthy(host, desired, running.get(), at);
    CrashPoints.reached("healthy");
    if (at.isPresent()) {
      probes.smoke(desired, desired.spec().smoke(), at.get(), domain(change.id()), "at the new slot");
    }
    CrashPoints.reached("smoke-at-slot");
    if (besideOld && desired.networking().isPresent()) {
      ctx.runtime().moveNames(host, running.get().containerId(), desired.networking().get(), true);
      ctx.listener().step(change.id(), running.get().name() + " answers to "
          + String.join(", ", desired.networking().get().aliases()) + " too, beside " + old.get().name());
    }
    if (change.action() == Action.REPLACE && old.isPresent()) {
      retired.add(old.get());
    }
  }

  /** A container made before networks joins its network, running on: nothing to undo, it is where it belongs. */
  private void joinInPlace(Change change) throws ProviderException, InterruptedException {
    var desired = (DesiredContainer) ctx.desired().get(change.id()).orElseThrow();
    var found = ctx.observed().get(change.id()).map(ObservedContainer.class::cast).orElseThrow();
    var networking = desired.networking().orElseThrow();
    retry.call(() -> {
      ctx.runtime().joinInPlace(host(change.id()), found.containerId(), networking, ctx.owner());
      return null;
    });
    ctx.listener().step(change.id(), found.name() + " joined network " + networking.network() + " as "
        + String.join(", ", networking.aliases()) + " and left Docker's default bridge, without a restart");
  }

  /** The release commands run so far, in order. */
  List<Snapshot.Release> releases() {
    return List.copyOf(releases);
  }

  /**
   * The container's release command (migrations), before its new version starts: in a throwaway
   * container of the new image with its env, volumes and network, while the old version serves.
   * A failure or a timeout stops the rollout, which has changed nothing yet for this container.
   */
  private void release(Change change, DesiredContainer desired, HostSpec host, String slot)
      throws StepFailed, ProviderException, InterruptedException {
    var release = desired.spec().release().get();
    var argv = String.join(" ", release.command());
    if (!ctx.settings().releases()) {
      ctx.listener().step(change.id(), "release command not run (" + argv + "): a rollback puts back a version "
          + "the database's schema already served; migrations are only ever run forward");
      return;
    }
    ctx.cancellation().check(change.id());
    ctx.listener().step(change.id(), "release: running " + argv + " in a one-off container of "
        + desired.fingerprint().image());
    var launch = new SlotLaunch(desired, slot, OptionalInt.empty(), Environment.resolve(ctx, desired),
        ctx.owner(), false);
    var ran = ctx.runtime().runOnce(host, launch, "release", release.command(), release.timeout(),
        line -> ctx.listener().step(change.id(), "release| " + line));
    releases.add(new Snapshot.Release(change.id().name().orElseThrow(),
        desired.fingerprint().image(), ran.exitCode(), ran.took().toMillis(), ran.timedOut()));
    var took = String.format(Locale.ROOT, "%.1f s", ran.took().toMillis() / 1000.0);
    if (!ran.succeeded()) {
      var tail = ran.lastLines().subList(Math.max(0, ran.lastLines().size() - 10), ran.lastLines().size());
      throw new StepFailed(change.id(), "release", "release command " + argv + (ran.timedOut()
          ? " did not finish within " + release.timeout().toSeconds() + " s and was stopped"
          : " exited " + ran.exitCode() + " after " + took) + "; the deploy stopped, the old version serves"
          + (tail.isEmpty() ? "" : "; its last lines:\n  " + String.join("\n  ", tail)));
    }
    ctx.listener().step(change.id(), "release: " + argv + " succeeded in " + took);
  }

  /**
   * depends_on: the containers this one names must be healthy before it starts. Those started by
   * this rollout were waited for already (StartOrder starts them first); the others run as they
   * are, and are waited for here.
   */
  private void awaitDependencies(Change change) throws StepFailed, ProviderException, InterruptedException {
    var desired = (DesiredContainer) ctx.desired().get(change.id()).orElseThrow();
    for (var name : desired.spec().dependsOn()) {
      var id = ResourceId.container(change.id().project(), change.id().environment(), name);
      if (started.stream().anyMatch(s -> s.id().equals(id))) {
        continue;
      }
      var dependency = ctx.desired().get(id).map(DesiredContainer.class::cast);
      var running = ctx.observed().get(id).map(ObservedContainer.class::cast);
      if (dependency.isEmpty() || running.isEmpty()) {
        throw new StepFailed(change.id(), "depends_on", name + " does not run, and " + change.id().name().orElseThrow()
            + " depends on it");
      }
      var found = running.get();
      ctx.listener().progress(change.id(), "waiting for " + found.name() + " (depends_on) to be healthy");
      probes.awaitHealthy(host(id), dependency.get(), new RunningSlot(id, found.containerId(), found.name(),
          found.slot(), found.hostPort()), found.hostPort().isPresent()
          ? Optional.of(reach(ctx.machine(host(id)), "127.0.0.1", found.hostPort().getAsInt())) : Optional.empty());
    }
  }

  /**
   * Once traffic has moved, the old slots of a blue-green switch lose their names, keeping their
   * addresses: what siblings sent them by name finishes during the drain, new connections go to
   * the new slots. Until then both answered, and the slot nginx served always held the names.
   */
  private void unnameRetired() throws ProviderException {
    for (var old : retired) {
      if (stopped.contains(old)) {
        continue;
      }
      var desired = ctx.desired().get(old.id()).map(DesiredContainer.class::cast).flatMap(DesiredContainer::networking);
      if (desired.isPresent()) {
        ctx.runtime().moveNames(host(old.id()), old.containerId(), desired.get(), false);
        unnamed.add(old);
        ctx.listener().step(old.id(), old.name() + " no longer answers to "
            + String.join(", ", desired.get().aliases()) + "; it finishes what it was sent");
      }
    }
  }

  /**
   * Creates or updates a swarm service and watches the engine's own rollout to its end: as its
   * tasks become healthy or go, nginx is moved to the healthy ones (a site already serving follows
   * them, so traffic never waits on a task that is gone). A rollback by the engine fails the step
   * with the engine's reason, once nginx routes to what the engine put back.
   */
  private void rollService(Change change) throws StepFailed, ProviderException, InterruptedException {
    var id = change.id();
    ctx.cancellation().check(id);
    var desired = (DesiredService) ctx.desired().get(id).orElseThrow();
    var runtime = ctx.services().orElseThrow(() -> new StepFailed(id, "swarm", "no installed provider runs swarm services"));
    var host = host(id);
    // A bake begun while an earlier service was watched does not cover this one.
    bakingSince = 0;
    bakedRounds = 0;
    ServiceRuntime.Rolled started;
    try {
      started = runtime.start(host, desired, Environment.resolve(ctx, desired.container()), ctx.owner());
    } catch (ProviderException e) {
      throw StepFailed.of(id, e);
    }
    rolled.add(started);
    ctx.listener().step(id, started.what());
    var failure = watch(runtime, host, started, desired.replicas());
    if (failure.isPresent()) {
      throw new StepFailed(id, "swarm", failure.get() + "; see: docker service ps --no-trunc "
          + id.project() + "-" + id.name().orElseThrow() + "-" + id.environment());
    }
    ctx.listener().step(id, desired.replicas() + " of " + desired.replicas() + " tasks healthy" + Optional.ofNullable(
        serviceAddresses.get(id)).map(p -> " on " + SiteDiff.upstream(p)).orElse(""));
    CrashPoints.reached("service-rolled");
  }

  /**
   * Follows a rollout until the engine ended it, moving an installed site to the healthy tasks;
   * the engine's reason when it rolled back.
   */
  private Optional<String> watch(ServiceRuntime runtime, HostSpec host, ServiceRuntime.Rolled started, int replicas)
      throws StepFailed, ProviderException, InterruptedException {
    var id = started.id();
    var site = ctx.desired().get(ResourceId.site(id.project(), id.environment())).map(DesiredSite.class::cast);
    var follow = site.isPresent() && previousSite.isPresent();
    var routed = ctx.observed().get(id).map(ObservedService.class::cast).map(ObservedService::taskAddresses)
        .orElse(List.of());
    var until = System.nanoTime() + started.limit().toNanos();
    var last = "";
    while (true) {
      var now = retry.call(() -> runtime.progress(host, started, replicas));
      if (!now.addresses().isEmpty()) {
        serviceAddresses.put(id, now.addresses());
      }
      if (follow && !now.addresses().isEmpty() && !now.addresses().equals(routed)) {
        moveTo(site.get());
        routed = now.addresses();
        ctx.listener().step(site.get().id(), "nginx routes " + id.name().orElseThrow() + " to its healthy tasks: "
            + SiteDiff.upstream(routed));
      }
      if (now.ended()) {
        return now.failure();
      }
      if (follow && now.replaced()) {
        bakeWhileWatched(site.get(), started);
      }
      if (!now.words().equals(last)) {
        ctx.listener().progress(id, now.words());
        last = now.words();
      }
      if (System.nanoTime() > until) {
        throw new StepFailed(id, "swarm", "the engine did not finish within " + started.limit().toSeconds()
            + " s (" + now.words() + ")" + now.failure().map(f -> ": " + f).orElse(""));
      }
      ctx.cancellation().sleep(id, Duration.ofMillis(200));
    }
  }

  /**
   * Nginx sends the service's traffic to its new tasks only, and the engine watches them for its
   * update monitor before it calls the update done: the bake's smoke checks (and its reading of the
   * access log) run meanwhile, so the apply does not wait the bake again after the engine. A check
   * that fails fails the service's step, which the engine's own rollback would also have done.
   */
  private void bakeWhileWatched(DesiredSite site, ServiceRuntime.Rolled service)
      throws StepFailed, ProviderException, InterruptedException {
    if (ctx.settings().bake().isZero()) {
      return;
    }
    if (bakingSince == 0) {
      bakingSince = System.nanoTime();
      logOffset = logSize(site.id());
      ctx.listener().progress(site.id(), "nginx sends all traffic to the new tasks; baking while the engine watches them");
    }
    var desired = ((DesiredService) ctx.desired().get(service.id()).orElseThrow()).container();
    if (desired.spec().isRouted()) {
      probes.check(desired, desired.spec().smoke(), frontDoorAddress(site.fingerprint().tls().isPresent()),
          site.fingerprint().domains().getFirst(), "through nginx", tlsTrust);
    }
    judgeTraffic(site);
    bakedRounds++;
  }

  /** Renders the site with the tasks healthy now, switches nginx to it, and waits until it serves it. */
  private void moveTo(DesiredSite site) throws StepFailed, ProviderException, InterruptedException {
    var text = ctx.sites().render(door, site, upstreams(site));
    switchSite(site.id(), text, "the site with the service's new tasks was refused", false);
    var revision = ctx.sites().revision(text);
    if (revision.isPresent()) {
      probes.awaitServed(site.id(), site.fingerprint().domains().getFirst(), revision.get(),
          frontDoorAddress(site.fingerprint().tls().isPresent()), RELOAD_LIMIT, tlsTrust);
    }
  }

  private List<Change> serviceChanges() {
    return changes.stream().filter(c -> c.id().kind() == ResourceKind.SERVICE)
        .filter(c -> c.action() == Action.CREATE || c.action() == Action.UPDATE).toList();
  }

  /**
   * Obtains or renews the environment's certificate, or installs it from files. With the front
   * door's lock held: an order has nginx answer the CA's challenges, which means reloads.
   */
  private void certify(Change change) throws StepFailed, ProviderException, InterruptedException {
    ctx.cancellation().check(change.id());
    var desired = (DesiredCertificate) ctx.desired().get(change.id()).orElseThrow();
    if (desired.source() instanceof DesiredCertificate.Source.Acme) {
      answerChallengesFirst(ResourceId.site(change.id().project(), change.id().environment()));
      ctx.listener().progress(change.id(), "asking " + desired.origin() + " for " + String.join(", ", desired.domains()));
    }
    Outcome outcome;
    try (var held = doorLock.hold()) {
      outcome = ctx.apply(door, change, Optional.of(desired), ctx.observed().get(change.id()));
    } catch (ProviderException e) {
      throw StepFailed.of(change.id(), e);
    }
    ctx.listener().step(change.id(), outcome.describe());
    newCertificate = installedCertificate(change.id()).map(ObservedCertificate::fingerprint);
    CrashPoints.reached("certificate-installed");
  }

  /**
   * The CA fetches its challenge from the site's domains, which the installed site serves: one
   * rendered before sites answered challenges is rendered again as it is (same routes, same
   * upstreams) with the answers included, and switched like any site.
   */
  private void answerChallengesFirst(ResourceId site) throws StepFailed, ProviderException, InterruptedException {
    var installed = ctx.sites().installed(door, site);
    var observed = ctx.observed().get(site).map(ObservedSite.class::cast).filter(s -> s.recorded().isPresent());
    if (installed.isEmpty() || ctx.sites().answersChallenges(door, installed.get()) || observed.isEmpty()) {
      return;
    }
    var recorded = observed.get().recorded().get();
    var same = new DesiredSite(site, recorded, recorded.specHash(), List.of(), snippetOf(site));
    var text = ctx.sites().render(door, same, observed.get().upstreams());
    switchSite(site, text, "the site rendered again to answer the CA was refused", false);
    ctx.listener().step(site, "rendered again as it is, now answering the CA's challenges");
  }

  /**
   * Has a site judged, installed and reloaded with whatever else this front door switches now;
   * {@code withOthers}: first waits until the other environments of the apply on this front door
   * have queued their sites too (or left), so that one batch and one reload take them all.
   * From the moment it is queued a rollback must put the previous site back: another
   * environment's batch may install it while this thread waits.
   */
  private SiteSwitches.Result.Switched switchSite(ResourceId site, String text, String refused, boolean withOthers)
      throws StepFailed, ProviderException, InterruptedException {
    var before = siteInstalled;
    siteInstalled = true;
    var switches = new SiteSwitches(door, doorLock, ctx.sites(), retry);
    var queued = switches.queue(site, text);
    if (withOthers) {
      waiting.run();
      try {
        together.arriveAndWait(site, ctx.cancellation(), left -> ctx.listener().progress(site,
            "ready; waiting for " + left + " more environment" + (left == 1 ? "" : "s")
                + " of this apply to switch with it (one reload for all)"));
      } catch (StepFailed | InterruptedException | RuntimeException e) {
        if (switches.withdraw(queued)) {
          siteInstalled = before;
        }
        throw e;
      }
    }
    switch (switches.await(queued)) {
      case SiteSwitches.Result.Switched s -> {
        return s;
      }
      case SiteSwitches.Result.Rejected r -> {
        siteInstalled = before;
        throw new StepFailed(site, "nginx -t", refused + ":\n" + r.output());
      }
      case SiteSwitches.Result.Failed f -> {
        siteInstalled = before || f.installed();
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

  /** The certificate as the front door holds it now, read back through its provider. */
  private Optional<ObservedCertificate> installedCertificate(ResourceId id) throws ProviderException {
    for (var provider : ctx.providers()) {
      if (provider.serves(door) && provider.kinds().contains(ResourceKind.CERTIFICATE)) {
        return provider.observe(new ObserveRequest(door, ctx.desired())).resources().stream()
            .filter(r -> r.id().equals(id)).map(ObservedCertificate.class::cast).findFirst();
      }
    }
    return Optional.empty();
  }

  /**
   * Checks through nginx over HTTPS trust what a browser would (the JDK's CAs), the CAs of
   * ca_bundle, and the very certificate installed for the site: a staging CA's certificate is
   * then checked as served, not refused as unknown.
   */
  private X509TrustManager trust(DesiredSite site) throws StepFailed, ProviderException {
    var extra = new ArrayList<X509Certificate>();
    var certificate = ctx.desired().get(ResourceId.certificate(site.id().project(), site.id().environment()))
        .map(DesiredCertificate.class::cast);
    try {
      if (certificate.isPresent() && certificate.get().source() instanceof DesiredCertificate.Source.Acme a
          && a.caBundle().isPresent()) {
        extra.addAll(TlsTrust.read(Path.of(a.caBundle().get())));
      }
      var file = door.certificateFile(ResourceId.certificate(site.id().project(), site.id().environment()));
      var text = door.host().read(file);
      if (text.isPresent()) {
        extra.add(Certificates.leaf(text.get()));
      }
    } catch (IOException | CertificateException e) {
      throw new StepFailed(site.id(), "tls", "cannot read the certificates to check HTTPS with: " + e.getMessage());
    }
    return TlsTrust.trusting(extra);
  }

  /**
   * A slot left over by an interrupted apply may hold the name the new slot needs. It is not the
   * live slot, so nginx does not route to it (observation asks nginx, not the file): remove it.
   */
  private void freeSlotName(ResourceId id, String slot)
      throws ProviderException, InterruptedException {
    for (var stray : ctx.observed().strays()) {
      if (stray.id().equals(id) && stray.slot().equals(slot)) {
        ctx.listener().step(id, retry.call(() -> Removals.removeObserved(ctx, stray))
            + " (left over from an interrupted apply; its name is needed)");
      }
    }
  }

  /** A changed site, a new slot, or a new certificate (nginx reads it at a reload). */
  private boolean needsSwitch(ResourceId site) {
    var siteChange = changes.stream().filter(c -> c.id().equals(site)).findFirst();
    return siteChange.map(c -> c.action() != Action.NOOP && c.action() != Action.DELETE).orElse(false)
        || started.stream().anyMatch(s -> s.hostPort().isPresent()) || newCertificate.isPresent()
        || !rolled.isEmpty();
  }

  /**
   * Renders the site and has it judged, installed and reloaded with whatever other sites of this
   * front door are switching now (one reload for all); waits until nginx serves it; bakes.
   */
  private void switchTraffic(DesiredSite site) throws StepFailed, ProviderException, InterruptedException {
    ctx.cancellation().check(site.id());
    if (site.snippet().isPresent() && site.snippet().get().text().isEmpty()) {
      throw new StepFailed(site.id(), "nginx_snippet", "the nginx snippet " + site.snippet().get().path()
          + " cannot be read; nothing was switched");
    }
    var text = ctx.sites().render(door, site, upstreams(site));
    // Where the access log stands before the switch: what follows is the new slots' traffic (or
    // since nginx sent a service's traffic to its new tasks, when the bake began then).
    if (bakingSince == 0) {
      logOffset = logSize(site.id());
    }
    var switched = switchSite(site.id(), text, "the generated site was refused and not installed", true);
    switchedAt = System.nanoTime();
    // A reload by another environment serves this site's file too.
    var revision = ctx.sites().revision(text);
    if (revision.isPresent()) {
      probes.awaitServed(site.id(), site.fingerprint().domains().getFirst(), revision.get(), newCertificate,
          frontDoorAddress(site.fingerprint().tls().isPresent()), RELOAD_LIMIT, tlsTrust);
    }
    CrashPoints.reached("revision-served");
    var sites = switched.sites();
    ctx.listener().step(site.id(), (switched.reloaded()
        ? "installed and reloaded" + (sites > 1 ? " (one reload for " + sites + " sites)" : "")
        : "installed; routes switched without a reload" + (sites > 1 ? " (" + sites + " sites at once)" : ""))
        + ": " + (started.isEmpty() && newCertificate.isPresent()
        ? "nginx serves the new certificate" : "traffic goes to the new slots")
        + (site.fingerprint().tls().isPresent() ? " (checked over HTTPS)" : ""));
    bake(site);
    CrashPoints.reached("bake");
  }

  /** Where this machine reaches nginx on the front door's host, over HTTPS or plain HTTP. */
  private InetSocketAddress frontDoorAddress(boolean tls) throws ProviderException {
    var at = tls ? door.nginx().tlsProbeAddress() : door.nginx().probeAddress();
    return reach(door.host(), at.host(), at.port());
  }

  private static InetSocketAddress reach(Host host, String address, int port) throws ProviderException {
    try {
      return host.reach(address, port);
    } catch (IOException e) {
      throw new ProviderException.Transient("host " + host.name(), "cannot reach " + address + ":" + port
          + " there: " + e.getMessage(), "check the connection to the host", e);
    }
  }

  /**
   * Smoke checks through nginx, with the domain's Host header, until the bake time is over. A
   * site nginx did not serve before this apply gets one round and no bake: the bake watches new
   * slots while the previous site can still be put back, and a first deploy has none to put back
   * (as Argo Rollouts and Flagger promote a first release without analysis).
   */
  private void bake(DesiredSite site) throws StepFailed, ProviderException, InterruptedException {
    var at = frontDoorAddress(site.fingerprint().tls().isPresent());
    var first = ctx.observed().get(site.id()).isEmpty();
    var bake = first ? Duration.ZERO : ctx.settings().bake();
    // Credited only when no container slot went live at this switch: those are baked in full.
    var early = bakingSince != 0 && !bake.isZero() && started.stream().noneMatch(s -> s.hostPort().isPresent())
        ? System.nanoTime() - bakingSince : 0L;
    var until = System.nanoTime() - early + bake.toNanos();
    var rounds = early > 0 ? bakedRounds : 0;
    do {
      for (var slot : started) {
        var desired = (DesiredContainer) ctx.desired().get(slot.id()).orElseThrow();
        if (slot.hostPort().isPresent()) {
          probes.check(desired, desired.spec().smoke(), at, site.fingerprint().domains().getFirst(),
              "through nginx", tlsTrust);
        }
      }
      for (var service : rolled) {
        var desired = ((DesiredService) ctx.desired().get(service.id()).orElseThrow()).container();
        if (desired.spec().isRouted()) {
          probes.check(desired, desired.spec().smoke(), at, site.fingerprint().domains().getFirst(),
              "through nginx", tlsTrust);
        }
      }
      if (!bake.isZero()) {
        judgeTraffic(site);
      }
      rounds++;
      // In nanoseconds: rounded to milliseconds, the last one read as 0 left and the loop spun,
      // checking hundreds of times in its final millisecond.
      var left = until - System.nanoTime();
      if (left <= 0) {
        break;
      }
      ctx.cancellation().sleep(site.id(), Duration.ofNanos(Math.min(Duration.ofMillis(250).toNanos(), left)));
    } while (System.nanoTime() < until);
    ctx.listener().step(site.id(), first && !ctx.settings().bake().isZero()
        ? "smoke checks passed through nginx (no bake: a first deploy, with no previous site to put back)"
        : "smoke checks passed through nginx for " + bake.toMillis() / 1000.0 + " s (" + rounds + " rounds"
            + (early > 0 ? String.format(Locale.ROOT, ", %.1f s of it while the engine watched the new tasks",
                Math.min(early, bake.toNanos()) / 1e9) : "") + ")");
  }

  private Optional<Long> logSize(ResourceId site) {
    try {
      return Optional.of(AccessLogs.of(door, site).size());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The bake reads real traffic: the requests nginx logged for the new slots since the switch. More
   * 5xx answers than the project's bake.max_5xx allows (and at least {@link #MIN_5XX}, so that one
   * stray error of a quiet site does not count) fail the bake, which puts the old slots back.
   */
  private void judgeTraffic(DesiredSite site) throws StepFailed {
    if (logOffset.isEmpty()) {
      return;
    }
    var addresses = new HashSet<String>();
    started.forEach(s -> s.address().ifPresent(addresses::add));
    serviceAddresses.values().forEach(addresses::addAll);
    if (addresses.isEmpty()) {
      return;
    }
    List<Request> since;
    try {
      since = AccessLogs.of(door, site.id()).after(logOffset.get());
    } catch (IOException e) {
      return; // unreadable now: the smoke checks still judge
    }
    var theirs = since.stream().filter(r -> addresses.contains(r.upstream())).toList();
    var errors = theirs.stream().filter(Request::serverError).count();
    var allowed = ctx.spec().projects().get(site.id().project()).frontDoor().max5xx();
    if (errors >= MIN_5XX && (double) errors / theirs.size() > allowed) {
      throw new StepFailed(site.id(), "bake", String.format(Locale.ROOT,
          "the new version answered %d of its %d requests since the switch with 5xx (%.1f%%, more than "
              + "bake.max_5xx %.1f%%)", errors, theirs.size(), 100.0 * errors / theirs.size(), allowed * 100));
    }
  }

  /** The fewest 5xx answers that can fail a bake. */
  static final int MIN_5XX = 3;

  private Map<String, String> upstreams(DesiredSite site) {
    var out = new LinkedHashMap<String, String>();
    for (var component : site.fingerprint().components()) {
      var service = ResourceId.service(site.id().project(), site.id().environment(), component);
      if (site.dependsOn().contains(service)) {
        // Each healthy task of the service, on the host port the engine gave it.
        Optional.ofNullable(serviceAddresses.get(service))
            .or(() -> ctx.observed().get(service).map(ObservedService.class::cast).map(ObservedService::taskAddresses))
            .filter(p -> !p.isEmpty())
            .ifPresent(p -> out.put(component, SiteDiff.upstream(p)));
        continue;
      }
      var id = ResourceId.container(site.id().project(), site.id().environment(), component);
      started.stream().filter(s -> s.id().equals(id)).findFirst().flatMap(RunningSlot::address)
          .or(() -> ctx.observed().get(id).map(ObservedContainer.class::cast)
              .filter(c -> c.hostPort().isPresent()).map(c -> "127.0.0.1:" + c.hostPort().getAsInt()))
          .ifPresent(address -> out.put(component, address));
    }
    return out;
  }

  /**
   * Old slots keep serving open requests for a while; a cancellation here still rolls back. So do
   * running leftovers this apply removes: an apply killed right after its reload leaves the slot
   * it switched from, and nginx's old workers may still be sending it requests.
   */
  private void drain(ResourceId site) throws StepFailed, InterruptedException {
    var draining = retired.stream().filter(o -> !stopped.contains(o)).toList();
    var leftovers = leftoversRemoved();
    if (!draining.isEmpty()) {
      ctx.listener().step(draining.getFirst().id(), "draining old slots for "
          + ctx.settings().drain().toSeconds() + " s");
      ctx.cancellation().sleep(site, ctx.settings().drain());
      awaitOldWorkers(site, draining.getFirst().id());
    } else if (!leftovers.isEmpty() && !ctx.settings().drain().isZero()) {
      ctx.listener().step(leftovers.getFirst().id(), "draining left-over slots for "
          + ctx.settings().drain().toSeconds() + " s (nginx may have routed to them until an interrupted apply's reload)");
      ctx.cancellation().sleep(site, ctx.settings().drain());
    }
    CrashPoints.reached("drain");
  }

  /**
   * The old slots stay while nginx still has connections to them: requests in flight and
   * long-lived ones (WebSockets, streams), on its workers from before a reload or, after a switch
   * without one, on the same workers (idle kept-alive ones close within a second). They are
   * kept until those close or {@link #LONG_LIVED} after the switch, whichever comes first.
   */
  private void awaitOldWorkers(ResourceId site, ResourceId shownOn) throws StepFailed, InterruptedException {
    var ports = retired.stream().filter(o -> o.hostPort().isPresent()).map(o -> o.hostPort().getAsInt()).toList();
    if (switchedAt == 0L || ports.isEmpty()) {
      return;
    }
    var until = switchedAt + LONG_LIVED.toNanos();
    var reported = false;
    while (System.nanoTime() < until) {
      var old = ctx.sites().oldWorkers(door);
      var open = ctx.sites().connectionsTo(door, ports);
      if (old == 0 && open == 0) {
        return;
      }
      if (!reported) {
        ctx.listener().step(shownOn, (old > 0 ? old + " nginx worker" + (old == 1 ? "" : "s") + " from before the switch"
            + " still hold" + (old == 1 ? "s" : "") : open + " connection" + (open == 1 ? "" : "s") + " from nginx still")
            + " open to the old slots; they are kept until those close, at most "
            + Math.max(1, (until - System.nanoTime()) / 1_000_000_000L) + " s more");
        reported = true;
      }
      ctx.cancellation().sleep(site, Duration.ofMillis(250));
    }
  }

  /** nginx's worker_shutdown_timeout of the managed nginx: long-lived connections last at most this past a switch. */
  static final Duration LONG_LIVED = Duration.ofSeconds(30);

  /** The running, published leftovers whose removal this rollout's plan holds. */
  private List<ObservedContainer> leftoversRemoved() {
    return ctx.observed().strays().stream()
        .filter(stray -> stray.isRunning() && stray.hostPort().isPresent())
        .filter(stray -> changes.stream().anyMatch(c -> c.action() == Action.DELETE && c.id().equals(stray.id())
            && c.slot().equals(Optional.of(stray.slot()))))
        .toList();
  }

  private void finish(FrontDoor door, FileLock doorLock) throws ProviderException, InterruptedException {
    var site = ResourceId.site(changes.getFirst().id().project(), changes.getFirst().id().environment());
    if (ctx.desired().get(site).isPresent()) {
      AccessLogs.keepSmall(door, ctx.sites(), List.of(site))
          .ifPresent(problem -> ctx.listener().step(site, problem));
    }
    for (var old : retired) {
      ctx.listener().step(old.id(), retry.call(() -> Removals.removeObserved(ctx, old)));
      CrashPoints.reached("old-slot-removed");
    }
    Removals.run(ctx, changes, door, doorLock);
  }

  /**
   * Undoes what this rollout did, newest first in effect: old containers stopped by recreate start
   * again, the previous site comes back (before the new slots go, so nothing routes to a removed
   * slot), then the new slots are removed. Each step is tried even when an earlier one failed,
   * except that the new slots stay when the previous site could not be put back: nginx may still
   * route to them (a connection to the server that dropped after the reload), and the next apply
   * removes them once nothing does.
   */
  private Undo rollBack(ResourceId site, Optional<String> previous) {
    // The rollback must run to its end whatever interrupted the rollout.
    var wasInterrupted = Thread.interrupted();
    var undo = new Undo.Builder();
    for (var old : unnamed) {
      try {
        var networking = ctx.desired().get(old.id()).map(DesiredContainer.class::cast)
            .flatMap(DesiredContainer::networking).orElseThrow();
        ctx.runtime().moveNames(host(old.id()), old.containerId(), networking, true);
        undo.undone(old.name() + " answers to its names again");
      } catch (ProviderException e) {
        undo.failed("giving " + old.name() + " its names back", e);
      }
    }
    for (var old : stopped) {
      undo.interrupted();
      try {
        undo.undone(ctx.runtime().startAgain(host(old.id()), old.id(), old.name()).describe());
      } catch (ProviderException e) {
        undo.failed("starting " + old.name() + " again", e);
      }
    }
    // A service is put back by the engine (its previous spec, or removed when this rollout made
    // it); its tasks then get new ports, which the previous site is rendered with.
    for (var service : rolled.reversed()) {
      try {
        undo.undone(ctx.services().orElseThrow().undo(host(service.id()), service).describe());
      } catch (ProviderException e) {
        undo.failed("putting back service " + service.id(), e);
      }
    }
    var siteBack = true;
    if (siteInstalled && !rolled.isEmpty() && previous.isPresent()) {
      siteBack = followBack(site, undo);
    } else if (siteInstalled) {
      siteBack = false;
      try (var held = doorLock.hold()) {
        if (previous.isPresent()) {
          ctx.sites().install(door, site, previous.get());
        } else {
          ctx.sites().uninstall(door, site);
        }
        ctx.sites().serve(door, List.of(site));
        undo.undone(previous.isPresent() ? "the previous site serves again" : "the new site was removed");
        siteBack = true;
      } catch (ProviderException | RuntimeException e) {
        undo.failed("putting the previous site back", e);
      }
      siteBack = awaitPrevious(site, previous, undo) && siteBack;
    }
    for (var slot : started) {
      if (!siteBack) {
        undo.failed("removing " + slot.name(), new ProviderException.Terminal(slot.name(), "kept: nginx may "
            + "still route to it, since the previous site could not be put back; the next apply removes it",
            "", null));
        continue;
      }
      try {
        undo.undone(ctx.runtime().remove(host(slot.id()), slot.id(), slot.name()).describe());
      } catch (ProviderException e) {
        undo.failed("removing " + slot.name(), e);
      }
    }
    var done = undo.build();
    done.undone().forEach(line -> ctx.listener().step(site, "rolled back: " + line));
    done.notUndone().forEach(line -> ctx.listener().step(site, "NOT rolled back: " + line));
    if (wasInterrupted) {
      Thread.currentThread().interrupt();
    }
    return done;
  }

  /**
   * After the engine was asked to put services back: waits until it did, then serves the previous
   * site (its routes, as observed before this rollout) with the tasks healthy now.
   */
  private boolean followBack(ResourceId site, Undo.Builder undo) {
    var recorded = ctx.observed().get(site).map(ObservedSite.class::cast).flatMap(ObservedSite::recorded);
    if (recorded.isEmpty()) {
      undo.failed("putting the previous site back", new ProviderException.Terminal("nginx",
          "the previous site records no routes to render again", "", null));
      return false;
    }
    try {
      for (var service : rolled) {
        if (service.previous().isEmpty()) {
          continue;
        }
        var replicas = ctx.observed().get(service.id()).map(ObservedService.class::cast)
            .map(ObservedService::replicas).orElse(1);
        var back = new ServiceRuntime.Rolled(service.id(), service.serviceId(), Optional.empty(), service.limit(),
            "put back");
        var until = System.nanoTime() + service.limit().toNanos();
        while (true) {
          var now = ctx.services().orElseThrow().progress(host(service.id()), back, replicas);
          if (!now.addresses().isEmpty()) {
            serviceAddresses.put(service.id(), now.addresses());
          }
          if (now.ended() || System.nanoTime() > until) {
            break;
          }
          Thread.sleep(200);
        }
      }
      var previousSite = new DesiredSite(site, recorded.get(), recorded.get().specHash(),
          ctx.desired().get(site).map(d -> d.dependsOn()).orElse(List.of()), snippetOf(site));
      try (var held = doorLock.hold()) {
        ctx.sites().install(door, site, ctx.sites().render(door, previousSite, upstreams(previousSite)));
        ctx.sites().serve(door, List.of(site));
      }
      undo.undone("the previous site serves again, with the tasks the engine put back");
      return true;
    } catch (ProviderException | RuntimeException e) {
      undo.failed("putting the previous site back", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Whether nginx was seen serving the previous site (true when there is none to look for). */
  private boolean awaitPrevious(ResourceId site, Optional<String> previous, Undo.Builder undo) {
    var revision = previous.flatMap(text -> ctx.sites().revision(text));
    if (revision.isEmpty()) {
      return true;
    }
    try {
      var tls = ctx.sites().overTls(previous.get());
      probes.awaitServed(site, domain(site), revision.get(), frontDoorAddress(tls), RELOAD_LIMIT,
          tls ? Optional.of(tlsTrust.orElse(TlsTrust.trusting(List.of()))) : Optional.empty());
      return true;
    } catch (StepFailed | ProviderException e) {
      undo.failed("confirming nginx serves the previous site", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** A site rendered again as it was gets the snippet declared now: only its hash was recorded. */
  private Optional<DesiredSite.Snippet> snippetOf(ResourceId site) {
    return ctx.desired().get(site).map(DesiredSite.class::cast).flatMap(DesiredSite::snippet);
  }

  private List<Change> certificateChanges() {
    return changes.stream().filter(c -> c.id().kind() == ResourceKind.CERTIFICATE)
        .filter(c -> c.action() == Action.CREATE || c.action() == Action.UPDATE).toList();
  }

  private List<Change> byKind(ResourceKind kind) {
    return changes.stream().filter(c -> c.id().kind() == kind)
        .filter(c -> c.action() == Action.CREATE || c.action() == Action.REPLACE)
        .toList();
  }

  private HostSpec host(ResourceId id) {
    var project = ctx.spec().projects().get(id.project());
    var name = project != null ? project.host() : HostSpec.Docker.DEFAULT_ENDPOINT;
    return ctx.spec().platform().hosts().getOrDefault(name,
        ctx.spec().platform().hosts().values().iterator().next());
  }

  private String domain(ResourceId id) {
    var project = ctx.spec().projects().get(id.project());
    return project.domains().get(id.environment()).getFirst();
  }
}
