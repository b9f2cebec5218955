package dev.reconcile.audit;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which events a long-running controller sends on: a failure once, then again only when it
 * changes (another step, another reason) or after the environment recovered; everything else
 * always. Numbers do not make a failure new (a port, a count, a time in its words), so a key that
 * fails the same way every five minutes for a week is one message, not two thousand.
 */
public final class Repeats implements Predicate<Event> {
  private static final Set<String> SUCCESS = Set.of("applied", "taken", "healed", "in-sync");

  /** Per environment (empty: the whole run), the failure last sent. */
  private final Map<String, String> failing = new ConcurrentHashMap<>();

  @Override
  public boolean test(Event event) {
    if (SUCCESS.contains(event.outcome())) {
      failing.remove(event.environment());
      return true;
    }
    if (event.outcome().equals("found")) {
      return true; // drift is announced once by the ledger already
    }
    var signature =
        event.type() + "|" + event.outcome() + "|" + event.summary().replaceAll("[0-9]+", "#");
    return !signature.equals(failing.put(event.environment(), signature));
  }
}
