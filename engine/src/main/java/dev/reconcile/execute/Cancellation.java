package dev.reconcile.execute;

import dev.reconcile.resource.ResourceId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Asks running rollouts to stop (a SIGTERM or SIGINT): each stops at its next step or wait and
 * rolls back what it started, as after any failure. Waits go through {@link #sleep}, so a
 * cancellation cuts them short instead of waiting them out.
 */
public final class Cancellation {
  private final Object lock = new Object();
  private volatile @Nullable String reason;
  private final List<Runnable> hooks = new CopyOnWriteArrayList<>();

  /** Never cancelled: for tests and callers without signals. */
  public static Cancellation none() {
    return new Cancellation();
  }

  public void cancel(String why) {
    synchronized (lock) {
      if (reason == null) {
        reason = why;
      }
      lock.notifyAll();
    }
    hooks.forEach(Runnable::run);
  }

  /**
   * Runs {@code hook} on a cancellation (at once if cancelled already): to end a wait of another
   * kind. Returns what takes it off again: a controller's cancellation lives for many applies.
   */
  Runnable onCancel(Runnable hook) {
    hooks.add(hook);
    if (reason != null) {
      hook.run();
    }
    return () -> hooks.remove(hook);
  }

  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** Throws when cancelled: the rollout stops before its next step. */
  void check(ResourceId id) throws StepFailed {
    var why = reason;
    if (why != null) {
      throw new StepFailed(id, "interrupted", why);
    }
  }

  /** Sleeps, or returns early on a cancellation, then throws it. */
  void sleep(ResourceId id, Duration duration) throws StepFailed, InterruptedException {
    var until = System.nanoTime() + duration.toNanos();
    synchronized (lock) {
      long left;
      while (reason == null && (left = until - System.nanoTime()) > 0) {
        lock.wait(Math.max(1, left / 1_000_000L));
      }
    }
    check(id);
  }

  /** Waits until cancelled (a controller's main thread, until SIGTERM). */
  public void await() throws InterruptedException {
    synchronized (lock) {
      while (reason == null) {
        lock.wait();
      }
    }
  }

  /** Sleeps for {@code duration}, or less when cancelled meanwhile; false when cancelled. */
  public boolean pause(Duration duration) throws InterruptedException {
    var until = System.nanoTime() + duration.toNanos();
    synchronized (lock) {
      long left;
      while (reason == null && (left = until - System.nanoTime()) > 0) {
        lock.wait(Math.max(1, left / 1_000_000L));
      }
    }
    return reason == null;
  }
}
