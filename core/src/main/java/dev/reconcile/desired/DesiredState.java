package dev.reconcile.desired;

import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every selected resource as declared, keyed and sorted by id.
 *
 * @param selection what was expanded; the diff ignores observed resources outside it
 */
public record DesiredState(SortedMap<ResourceId, DesiredResource> resources, Selection selection) {

  public DesiredState {
    resources = Collections.unmodifiableSortedMap(new TreeMap<>(resources));
  }

  public Optional<DesiredResource> get(ResourceId id) {
    return Optional.ofNullable(resources.get(id));
  }

  public <T extends DesiredResource> Stream<T> all(Class<T> type) {
    return resources.values().stream().filter(type::isInstance).map(type::cast);
  }

  /** SHA-256 over every id and its spec hash: equal digests mean equal desired state. */
  public String digest() {
    var text = new StringBuilder();
    for (Map.Entry<ResourceId, DesiredResource> e : resources.entrySet()) {
      text.append(e.getKey()).append(' ').append(e.getValue().specHash()).append('\n');
    }
    return SpecHash.sha256(text.toString());
  }
}
