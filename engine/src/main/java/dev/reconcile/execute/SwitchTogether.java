package dev.reconcile.execute;

import dev.reconcile.resource.ResourceId;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * The environments of one apply whose sites one front door serves switch together: each queues
 * its site, then waits here until every other one has queued its own or left (failed before its
 * switch, or had nothing to switch). Then one batch judges all their sites, installs them and
 * reloads nginx once, and their bakes run at the same time instead of one after the other.
 * Environments on other hosts have their own front door and their own {@code SwitchTogether}.
 */
final class SwitchTogether implements AutoCloseable {
  private final Phaser phaser;
  private Runnable unhook = () -> {};

  private SwitchTogether(int parties) {
    this.phaser = new Phaser(parties);
  }

  /**
   * For {@code parties} environments of one front door; a cancellation releases all waiting.
   * Close it once the apply is over.
   */
  static SwitchTogether of(int parties, Cancellation cancellation) {
    var together = new SwitchTogether(parties);
    together.unhook = cancellation.onCancel(together.phaser::forceTermination);
    return together;
  }

  /** Takes it off the cancellation's hooks. */
  @Override
  public void close() {
    unhook.run();
  }

  /** One environment's place in it. */
  Party party() {
    return new Party(this);
  }

  /** An environment that switches alone (a heal, a rollback, a test). */
  static Party alone() {
    return new SwitchTogether(1).party();
  }

  /** One environment: it arrives once, or leaves once; whichever comes first counts. */
  static final class Party {
    private final SwitchTogether together;
    private final AtomicBoolean done = new AtomicBoolean();

    private Party(SwitchTogether together) {
      this.together = together;
    }

    /**
     * Its site is queued: waits until every environment of the front door has queued its site or
     * left, telling {@code waitingFor} how many it waits for when it must. A cancellation ends
     * the wait with the cancellation's failure.
     */
    void arriveAndWait(ResourceId site, Cancellation cancellation, IntConsumer waitingFor)
        throws StepFailed, InterruptedException {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      var phaser = together.phaser;
      var phase = phaser.arrive();
      var left = phaser.getUnarrivedParties();
      if (phase >= 0 && phaser.getPhase() == phase && left > 0) {
        waitingFor.accept(left);
      }
      phaser.awaitAdvanceInterruptibly(phase);
      cancellation.check(site);
    }

    /** It will not switch with the others (any more): nobody waits for it. */
    void leave() {
      if (done.compareAndSet(false, true)) {
        together.phaser.arriveAndDeregister();
      }
    }
  }
}
