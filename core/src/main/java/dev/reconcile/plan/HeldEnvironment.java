package dev.reconcile.plan;

import java.util.List;

/**
 * A project environment held at a snapshot by a rollback: the plan keeps it at the snapshot,
 * and lists what projects.yml would change there once released. For people; the executor only
 * sees the plan's changes, which already keep the environment at its snapshot.
 *
 * @param heldBack the changes projects.yml asks for there, as {@code ~ site:shop/production}
 */
public record HeldEnvironment(
    String environment, int serial, String by, String since, List<String> heldBack) {
  public HeldEnvironment {
    heldBack = List.copyOf(heldBack);
  }
}
