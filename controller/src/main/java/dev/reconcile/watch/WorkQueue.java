package dev.reconcile.watch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Keys waiting for a worker, as client-go's work queue keeps them: a key added while it waits is
 * not added twice; a key added while a worker has it is handed out again only after that worker
 * is {@link #done} with it, so one key is never worked on twice at once. Keys may be added after
 * a delay (retries, backoff). A key that is backing off is held: whatever adds it (an event, a
 * resync, a tick) waits with it until its retry is due.
 */
public final class WorkQueue {
  private record Later(String key, Instant at) {}

  private final Clock clock;
  private final Set<String> waiting = new LinkedHashSet<>();
  private final Set<String> working = new HashSet<>();
  private final Set<String> again = new HashSet<>();
  private final PriorityQueue<Later> later = new PriorityQueue<>(Comparator.comparing(Later::at));
  private final Map<String, Instant> heldUntil = new HashMap<>();
  private boolean shutDown;

  public WorkQueue(Clock clock) {
    this.clock = clock;
  }

  public synchronized void add(String key) {
    if (shutDown || held(key)) {
      return; // a held key's retry is scheduled already
    }
    if (working.contains(key)) {
      again.add(key);
      return;
    }
    if (waiting.add(key)) {
      notifyAll();
    }
  }

  /** Adds the key once {@code delay} has passed (by the queue's clock). */
  public synchronized void addAfter(String key, Duration delay) {
    if (shutDown) {
      return;
    }
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    later.add(new Later(key, clock.instant().plus(delay)));
    notifyAll();
  }

  /**
   * The key failed: it is tried again after {@code wait}, and not before, whatever adds it
   * meanwhile.
   */
  public synchronized void backOff(String key, Duration wait) {
    if (shutDown) {
      return;
    }
    var at = clock.instant().plus(wait);
    heldUntil.put(key, at);
    later.add(new Later(key, at));
    notifyAll();
  }

  /** Whether the key is backing off now. */
  public synchronized boolean held(String key) {
    var until = heldUntil.get(key);
    if (until == null) {
      return false;
    }
    if (!until.isAfter(clock.instant())) {
      heldUntil.remove(key);
      return false;
    }
    return true;
  }

  /** The key succeeded (in a pass over every key): it is no longer held. */
  public synchronized void release(String key) {
    heldUntil.remove(key);
  }

  /**
   * The next key to work on, waiting for one; empty once shut down. The caller must call
   * {@link #done} with it.
   */
  public synchronized Optional<String> take() throws InterruptedException {
    while (true) {
      promoteDue();
      if (shutDown) {
        return Optional.empty();
      }
      var next = waiting.iterator();
      if (next.hasNext()) {
        var key = next.next();
        next.remove();
        working.add(key);
        return Optional.of(key);
      }
      // Wakes for adds, and at the latest when the next delayed key is due (or a second passes,
      // so a clock that jumps is noticed).
      var wait = later.isEmpty()
          ? 1000
          : Math.clamp(Duration.between(clock.instant(), later.peek().at()).toMillis(), 1, 1000);
      wait(wait);
    }
  }

  /** A worker is through with the key; added meanwhile, it waits again. */
  public synchronized void done(String key) {
    working.remove(key);
    if (again.remove(key)) {
      add(key);
    }
  }

  /** Keys waiting now (not those delayed, not those being worked on). */
  public synchronized int depth() {
    promoteDue();
    return waiting.size();
  }

  /** Keys waiting for a later time. */
  public synchronized int delayed() {
    return later.size();
  }

  /** Stops handing out keys: {@link #take} returns empty from now on. */
  public synchronized void shutDown() {
    shutDown = true;
    notifyAll();
  }

  private void promoteDue() {
    var now = clock.instant();
    while (!later.isEmpty() && !later.peek().at().isAfter(now)) {
      var key = later.poll().key();
      var until = heldUntil.get(key);
      if (until != null && until.isAfter(now)) {
        continue; // an earlier delay of a key held longer since
      }
      heldUntil.remove(key);
      if (working.contains(key)) {
        again.add(key);
      } else {
        waiting.add(key);
      }
    }
  }
}
