package dev.reconcile.drift;

import java.util.Locale;
import java.util.Optional;

/**
 * Where one project environment stands.
 *
 * @param lastSerial the serial of its latest snapshot, if any
 * @param lastApplied when that snapshot was written
 * @param note why it was not compared (applying, unreachable), or who holds it
 */
public record EnvironmentStatus(
    String environment,
    State state,
    Optional<Integer> lastSerial,
    Optional<String> lastApplied,
    Optional<String> note) {

  public enum State {
    IN_SYNC,
    DRIFTED,
    PENDING,
    HELD,
    APPLYING,
    /** An apply ended before it finished: the next apply finishes it, a rollback undoes it. Not drift. */
    INTERRUPTED,
    UNREACHABLE,
    FAILING;

    public String word() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
