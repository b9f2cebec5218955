package dev.reconcile.desired;

import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every selected resource as declared, keyed and sorted by id.
 *
 * @param selection what was expanded; the diff ignores observed resources outside it
 */
public record DesiredState(Map<ResourceId, DesiredResource> resources, Selection selection) {

  public DesiredState {
    // Sorted once, then hashed: iteration follows ids, lookups are O(1).
    resources = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(resources)));
  }

  public Optional<DesiredResource> get(ResourceId id) {
    return Optional.ofNullable(resources.get(id));
  }

  public <T extends DesiredResource> Stream<T> all(Class<T> type) {
    return resources.values().stream().filter(type::isInstance).map(type::cast);
  }

  /** SHA-256 over every id and its spec hash: equal digests mean equal desired state. */
  public String digest() {
    return SpecHash.sha256OfLines(
        () -> resources.values().stream().map(r -> r.id() + " " + r.specHash()).iterator());
  }
}
