package dev.reconcile.observed;

import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Everything the providers found, keyed and sorted by id.
 *
 * @param resources the live resource per id; for containers, the slot that serves
 * @param strays further slots of a container (left over from an interrupted apply)
 * @param conflicts unmanaged things in the way of desired resources
 * @param tags where the declared image references point on each host now
 */
public record ObservedState(
    Map<ResourceId, ObservedResource> resources,
    List<ObservedContainer> strays,
    List<Conflict> conflicts,
    List<ImageTag> tags) {

  public static final ObservedState EMPTY = of(List.of(), List.of(), List.of());

  public ObservedState {
    // Sorted once, then hashed: iteration follows ids, lookups are O(1).
    resources = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(resources)));
    strays = List.copyOf(strays);
    conflicts = List.copyOf(conflicts);
    tags = List.copyOf(tags);
  }

  /**
   * Assembles what providers reported. Where a container has several slots, the live one is the
   * running slot nginx sends traffic to (as served, not as the file says: a file installed and
   * never reloaded routes nothing yet), else a running slot, else the first by name. So a slot
   * that nginx serves is never a stray, and never removed as one.
   */
  public static ObservedState of(
      List<? extends ObservedResource> found, List<Conflict> conflicts, List<ImageTag> tags) {
    var resources = new TreeMap<ResourceId, ObservedResource>();
    var slots = new LinkedHashMap<ResourceId, List<ObservedContainer>>();
    for (var resource : found) {
      if (resource instanceof ObservedContainer c) {
        slots.computeIfAbsent(c.id(), k -> new ArrayList<>()).add(c);
      } else {
        resources.put(resource.id(), resource);
      }
    }
    var strays = new ArrayList<ObservedContainer>();
    for (var entry : slots.entrySet()) {
      var site =
          resources.get(ResourceId.site(entry.getKey().project(), entry.getKey().environment()));
      var ordered =
          entry.getValue().stream().sorted(liveFirst(entry.getKey(), site)).toList();
      resources.put(entry.getKey(), ordered.getFirst());
      strays.addAll(ordered.subList(1, ordered.size()));
    }
    return new ObservedState(resources, strays, conflicts, tags);
  }

  private static Comparator<ObservedContainer> liveFirst(
      ResourceId id, @Nullable ObservedResource site) {
    var upstream = site instanceof ObservedSite s
        ? s.routedUpstream(id.name().orElseThrow())
        : Optional.<String>empty();
    Comparator<ObservedContainer> served =
        Comparator.comparing(c -> !(c.hostPort().isPresent()
            && upstream.filter(u -> u.endsWith(":" + c.hostPort().getAsInt())).isPresent()));
    return Comparator.<ObservedContainer, Boolean>comparing(c -> !c.isRunning())
        .thenComparing(served)
        .thenComparing(ObservedContainer::name);
  }

  public Optional<ObservedResource> get(ResourceId id) {
    return Optional.ofNullable(resources.get(id));
  }

  public <T extends ObservedResource> Stream<T> all(Class<T> type) {
    return resources.values().stream().filter(type::isInstance).map(type::cast);
  }

  /** The image id a reference points to on a host, when the host has that image. */
  public Optional<String> imageIdOf(String host, String reference) {
    return tags.stream()
        .filter(t -> t.host().equals(host) && t.reference().equals(reference))
        .map(ImageTag::imageId)
        .findFirst();
  }

  /**
   * SHA-256 over everything a plan is based on. A saved plan is applied only while this is still
   * the digest of what is observed.
   */
  public String digest() {
    // Resources are already in id order; the short lists come in provider order, so sort them.
    var lines =
        new ArrayList<String>(resources.size() + strays.size() + conflicts.size() + tags.size());
    resources.values().forEach(r -> lines.add(r.digestLine()));
    var extra = new ArrayList<String>();
    strays.forEach(s -> extra.add("stray " + s.digestLine()));
    conflicts.forEach(c -> extra.add("conflict " + c.blocks() + " " + c.describe()));
    tags.forEach(t -> extra.add("tag " + t.host() + " " + t.reference() + " " + t.imageId()));
    Collections.sort(extra);
    lines.addAll(extra);
    return SpecHash.sha256OfLines(lines);
  }
}
