package dev.reconcile.drift;

import java.time.Instant;
import java.util.Optional;

/**
 * Which container starts count as "restarted" drift: those after the last snapshot (or the tool's
 * own restart of the environment), except while a heal that did not record its snapshot ran. What
 * that heal started is its own, not restarted: without this, a controller killed mid-heal would
 * replace them again. A heal killed has no known end, so every later start is its own until the
 * next apply records what runs; a heal that ended without recording (the engine gone when it
 * looked) gave its end, and starts after it count again (the engine restarting its containers).
 */
record RestartWindow(Instant after, Optional<Instant> healStarted, Optional<Instant> healEnded) {
  boolean counts(Instant startedAt) {
    if (!startedAt.isAfter(after)) {
      return false;
    }
    if (healStarted.isEmpty() || startedAt.isBefore(healStarted.get())) {
      return true;
    }
    return healEnded.filter(startedAt::isAfter).isPresent();
  }
}
