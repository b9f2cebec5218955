package dev.reconcile.execute;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.history.Snapshot;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.provider.ContainerRuntime.RunningSlot;
import dev.reconcile.provider.ContainerRuntime.SlotLaunch;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.util.Checks;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A container's new version: blue-green (a new slot beside the old, healthy and smoke-checked
 * before nginx is switched to it, the names moved once it is healthy) or, for {@code update:
 * recreate}, the old one stopped first; its release command before it starts; the containers it
 * depends on healthy first. Each act is written to the journal the undo reads.
 */
final class ContainerStep {
  private final RolloutContext ctx;
  private final RolloutJournal journal;
  private final Probes probes;
  private final Map<String, PortAllocator> ports;
  private final EnvironmentChanges plan;

  ContainerStep(
      RolloutContext ctx,
      RolloutJournal journal,
      Probes probes,
      Map<String, PortAllocator> ports,
      EnvironmentChanges plan) {
    this.plan = plan;
    this.ctx = ctx;
    this.journal = journal;
    this.probes = probes;
    this.ports = ports;
  }

  void roll(Change change) throws StepFailed, ProviderException, InterruptedException {
    ctx.cancellation().check(change.id());
    var desired = change.declared(DesiredContainer.class);
    var host = ctx.hostOf(change.id());
    var old = change.found(ObservedContainer.class);
    var slot = old.map(o -> o.slot().equals("blue") ? "green" : "blue").orElse("blue");
    freeSlotName(change.id(), slot);
    var recreate = change.action() == Action.REPLACE
        && old.isPresent()
        && desired.spec().updateStrategy() == UpdateStrategy.RECREATE;
    if (desired.spec().release().isPresent()) {
      release(change, desired, host, slot);
    }
    if (recreate) {
      // Single-writer state: the old one stops (gracefully) before the new one starts.
      journal.stopped(old.get());
      ctx.listener()
          .step(
              change.id(),
              ctx.runtime().stop(host, change.id(), old.get().name()).describe()
                  + " (update: recreate; its traffic is interrupted until the new one serves)");
    }
    // A slot beside the old one takes the names only once healthy (namesTo); else at once.
    var besideOld = change.action() == Action.REPLACE && old.isPresent() && !recreate;
    var running = Checks.present(ports.get(host.name()), "the ports of host %s", host.name())
        .launch(
            desired.isRouted(),
            port -> ctx.runtime()
                .start(
                    host,
                    new SlotLaunch(
                        desired,
                        slot,
                        port,
                        Environment.resolve(ctx, desired),
                        ctx.owner(),
                        !besideOld)));
    if (running.isEmpty()) {
      throw new StepFailed(
          change.id(),
          "port",
          "no free port left in platform.ports " + ctx.spec().platform().ports());
    }
    journal.started(running.get());
    ctx.listener()
        .step(
            change.id(),
            "started " + running.get().name()
                + running.get().address().map(a -> " on " + a).orElse(""));
    CrashPoints.reached("slot-started");
    var at = running.get().hostPort().isPresent()
        ? Optional.of(RolloutContext.reach(
            ctx.machine(host), "127.0.0.1", running.get().hostPort().getAsInt()))
        : Optional.<InetSocketAddress>empty();
    probes.awaitHealthy(host, desired, running.get(), at);
    CrashPoints.reached("healthy");
    if (at.isPresent()) {
      probes.smoke(
          desired, desired.spec().smoke(), at.get(), ctx.domainOf(change.id()), "at the new slot");
    }
    CrashPoints.reached("smoke-at-slot");
    var named = desired.networking().filter(n -> !n.names().isEmpty());
    if (besideOld && named.isPresent()) {
      ctx.runtime().moveNames(host, running.get().containerId(), named.get(), true);
      ctx.listener()
          .step(
              change.id(),
              running.get().name() + " answers to "
                  + String.join(", ", named.get().names()) + " too, beside "
                  + old.get().name());
    }
    if (change.action() == Action.REPLACE && old.isPresent()) {
      journal.retired(old.get());
    }
  }

  /**
   * A container joins its network of names, running on (one made before networks, or one whose
   * environment has grown a second container): nothing to undo, it is where it belongs.
   */
  void joinInPlace(Change change) throws ProviderException, InterruptedException {
    var desired = change.declared(DesiredContainer.class);
    var found = change.found(ObservedContainer.class).orElseThrow();
    var networking = desired.networking().orElseThrow();
    ctx.retry()
        .run(() -> ctx.runtime()
            .joinInPlace(ctx.hostOf(change.id()), found.containerId(), networking, ctx.owner()));
    ctx.listener()
        .step(
            change.id(),
            found.name() + " joined network " + networking.network() + " as "
                + String.join(", ", networking.aliases())
                + (found.networks().contains("bridge")
                    ? " and left Docker's default bridge, without a restart"
                    : ", without a restart"));
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
      ctx.listener()
          .step(
              change.id(),
              "release command not run (" + argv + "): a rollback puts back a version "
                  + "the database's schema already served; migrations are only ever run forward");
      return;
    }
    ctx.cancellation().check(change.id());
    ctx.listener()
        .step(
            change.id(),
            "release: running " + argv + " in a one-off container of "
                + desired.fingerprint().image());
    var launch = new SlotLaunch(
        desired, slot, OptionalInt.empty(), Environment.resolve(ctx, desired), ctx.owner(), false);
    var ran = ctx.runtime()
        .runOnce(
            host,
            launch,
            "release",
            release.command(),
            release.timeout(),
            line -> ctx.listener().step(change.id(), "release| " + line));
    journal.released(new Snapshot.Release(
        change.id().name().orElseThrow(),
        desired.fingerprint().image(),
        ran.exitCode(),
        ran.took().toMillis(),
        ran.timedOut()));
    var took = String.format(Locale.ROOT, "%.1f s", ran.took().toMillis() / 1000.0);
    if (!ran.succeeded()) {
      var tail = ran.lastLines()
          .subList(Math.max(0, ran.lastLines().size() - 10), ran.lastLines().size());
      throw new StepFailed(
          change.id(),
          "release",
          "release command " + argv
              + (ran.timedOut()
                  ? " did not finish within " + release.timeout().toSeconds() + " s and was stopped"
                  : " exited " + ran.exitCode() + " after " + took)
              + "; the deploy stopped, the old version serves"
              + (tail.isEmpty() ? "" : "; its last lines:\n  " + String.join("\n  ", tail)));
    }
    ctx.listener().step(change.id(), "release: " + argv + " succeeded in " + took);
  }

  /**
   * depends_on: the containers this one names must be healthy before it starts. Those started by
   * this rollout were waited for already (StartOrder starts them first); the others run as they
   * are, and are waited for here.
   */
  void awaitDependencies(Change change) throws StepFailed, ProviderException, InterruptedException {
    var desired = change.declared(DesiredContainer.class);
    for (var name : desired.spec().dependsOn()) {
      var id = ResourceId.container(change.id().project(), change.id().environment(), name);
      if (journal.startedFor(id).isPresent()) {
        continue;
      }
      var dependency = plan.declared(id, DesiredContainer.class);
      var running = plan.found(id, ObservedContainer.class);
      if (dependency.isEmpty() || running.isEmpty()) {
        throw new StepFailed(
            change.id(),
            "depends_on",
            name + " does not run, and " + change.id().name().orElseThrow() + " depends on it");
      }
      var found = running.get();
      ctx.listener()
          .progress(change.id(), "waiting for " + found.name() + " (depends_on) to be healthy");
      probes.awaitHealthy(
          ctx.hostOf(id),
          dependency.get(),
          new RunningSlot(id, found.containerId(), found.name(), found.slot(), found.hostPort()),
          found.hostPort().isPresent()
              ? Optional.of(RolloutContext.reach(
                  ctx.machine(ctx.hostOf(id)), "127.0.0.1", found.hostPort().getAsInt()))
              : Optional.empty());
    }
  }

  /**
   * Once traffic has moved, the old slots of a blue-green switch lose their names, keeping their
   * addresses: what siblings sent them by name finishes during the drain, new connections go to
   * the new slots. Until then both answered, and the slot nginx served always held the names.
   */
  void unnameRetired() throws ProviderException {
    for (var old : journal.draining()) {
      var desired = plan.declared(old.id(), DesiredContainer.class)
          .flatMap(DesiredContainer::networking)
          .filter(n -> !n.names().isEmpty());
      if (desired.isPresent()) {
        ctx.runtime().moveNames(ctx.hostOf(old.id()), old.containerId(), desired.get(), false);
        journal.unnamed(old);
        ctx.listener()
            .step(
                old.id(),
                old.name() + " no longer answers to "
                    + String.join(", ", desired.get().names())
                    + "; it finishes what it was sent");
      }
    }
  }

  /**
   * A slot left over by an interrupted apply may hold the name the new slot needs. It is not the
   * live slot, so nginx does not route to it (observation asks nginx, not the file): remove it.
   */
  private void freeSlotName(ResourceId id, String slot)
      throws ProviderException, InterruptedException {
    for (var stray : plan.leftovers()) {
      if (stray.id().equals(id) && stray.slot().equals(slot)) {
        ctx.listener()
            .step(
                id,
                ctx.retry().call(() -> Removals.removeObserved(ctx, stray))
                    + " (left over from an interrupted apply; its name is needed)");
      }
    }
  }
}
