package dev.reconcile.plan;

/**
 * Choices a person makes when planning.
 *
 * @param deleteVolumes whether volumes no longer declared are deleted (they hold data: off by
 *     default, and then the plan notes that they are kept)
 */
public record DiffOptions(boolean deleteVolumes) {
  public static final DiffOptions DEFAULT = new DiffOptions(false);
}
