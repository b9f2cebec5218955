package dev.reconcile.provider;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Finds a capability among the providers found by {@link java.util.ServiceLoader}. */
public final class Capabilities {
  private Capabilities() {}

  /** The first capability of this type any of the providers declares, in the providers' order. */
  public static <C extends Capability> Optional<C> find(
      Collection<? extends Provider> providers, Class<C> type) {
    return providers.stream()
        .flatMap(p -> p.capabilities().stream())
        .filter(type::isInstance)
        .map(type::cast)
        .findFirst();
  }

  /** Every capability of this type the providers declare, in the providers' order. */
  public static <C extends Capability> List<C> all(
      Collection<? extends Provider> providers, Class<C> type) {
    return providers.stream()
        .flatMap(p -> p.capabilities().stream())
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }
}
