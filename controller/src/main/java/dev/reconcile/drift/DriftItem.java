package dev.reconcile.drift;

import java.util.Optional;

/**
 * One difference found. Never holds a secret value: details come from plan reasons, which hide
 * them.
 *
 * @param id stable while the same difference lasts (the same kind on the same resource), so a
 *     scheduled run and the controller can tell a new finding from one already reported
 * @param kind e.g. {@code container-missing}, {@code site-edited}, {@code not-applied}
 * @param environment {@code project/environment}
 * @param resource the resource, as in plans: {@code container:shop/production/web}
 * @param since when it was first found, when known
 * @param fix the command that fixes it
 */
public record DriftItem(
    String id,
    DriftClass driftClass,
    String kind,
    String environment,
    String resource,
    String detail,
    Optional<String> since,
    String fix) {

  public DriftItem withSince(Optional<String> first) {
    return new DriftItem(id, driftClass, kind, environment, resource, detail, first, fix);
  }
}
