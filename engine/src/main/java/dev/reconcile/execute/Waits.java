package dev.reconcile.execute;

import dev.reconcile.resource.ResourceId;
import java.time.Duration;

/**
 * Time as a rollout's probes see it: a clock to measure with, a wait that a cancellation cuts
 * short, and a pause that nothing cuts short (a rollback's own waits). Tests pass one whose time
 * moves on at once instead of sleeping.
 */
interface Waits {
  long nanoTime();

  /** Waits, or ends early and throws when the rollout is cancelled. */
  void sleep(ResourceId id, Duration duration) throws StepFailed, InterruptedException;

  /** Waits; only an interrupt ends it early. */
  void pause(Duration duration) throws InterruptedException;

  static Waits real(Cancellation cancellation) {
    return new Waits() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void sleep(ResourceId id, Duration duration) throws StepFailed, InterruptedException {
        cancellation.sleep(id, duration);
      }

      @Override
      public void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration);
      }
    };
  }
}
