package dev.reconcile.store;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Adds each step of an apply to its environment's {@link ApplyJournal} entry, so that what the
 * next run finds of an apply that died says how far it got (status, drift, the interrupted
 * snapshot). One background thread writes, the newest entry of each environment winning: a step
 * costs the rollout no write of its own, and a kill -9 loses at most what was not written yet.
 * Steps before {@link #begun} or after {@link #close} are not recorded.
 */
public final class StepLog implements AutoCloseable {
  private static final Duration FLUSH = Duration.ofSeconds(10);

  private final ApplyJournal journal;
  private final Map<String, ApplyJournal.Entry> entries = new ConcurrentHashMap<>();
  private final LinkedHashSet<String> dirty = new LinkedHashSet<>();
  private @Nullable Thread writer;
  private boolean closed;

  public StepLog(ApplyJournal journal) {
    this.journal = journal;
  }

  /** The environment's apply is under way, its entry as written; its steps are recorded now. */
  public synchronized void begun(String environmentKey, ApplyJournal.Entry entry) {
    if (closed) {
      return;
    }
    entries.put(environmentKey, entry);
    if (writer == null) {
      // A platform thread: it waits on this monitor for the whole apply (a virtual one would pin
      // its carrier on JDK 21-23).
      writer = Thread.ofPlatform().daemon().name("apply-journal").start(this::write);
    }
  }

  public synchronized void step(String environmentKey, String step) {
    if (closed || entries.computeIfPresent(environmentKey, (k, e) -> e.withStep(step)) == null) {
      return;
    }
    dirty.add(environmentKey);
    notifyAll();
  }

  private void write() {
    while (true) {
      String key;
      ApplyJournal.Entry entry;
      synchronized (this) {
        while (dirty.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (dirty.isEmpty()) {
          return;
        }
        key = dirty.removeFirst();
        entry = entries.get(key);
      }
      if (entry == null) {
        continue;
      }
      try {
        journal.begin(key, entry);
      } catch (IOException e) {
        // The entry written at the start still says the apply is under way; only its steps lag.
      }
    }
  }

  /**
   * Writes what is left, then stops: after this the apply may end its entries, which nothing
   * here writes again.
   */
  @Override
  public void close() throws InterruptedException {
    Thread running;
    synchronized (this) {
      closed = true;
      notifyAll();
      running = writer;
    }
    // Bounded: a state home over SSH that stopped answering must not hold the apply's end. A write
    // still hanging then may land after the entry ends, and the next apply records an
    // interrupted snapshot: wordy, never wrong about what runs.
    if (running != null && !running.join(FLUSH)) {
      running.interrupt();
    }
  }
}
