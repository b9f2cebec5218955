package dev.reconcile.resource;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which resource: kind, project, environment and, except for sites (one per environment), a name.
 * Printed as {@code container:shop/production/backend}, {@code site:shop/production} or {@code
 * volume:shop/production/data}; {@link #parse} reads that form back.
 */
public record ResourceId(ResourceKind kind, String project, String environment, Optional<String> name)
    implements Comparable<ResourceId> {

  private static final Pattern SEGMENT = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Comparator<ResourceId> ORDER =
      Comparator.comparing(ResourceId::project)
          .thenComparing(ResourceId::environment)
          .thenComparing(ResourceId::kind)
          .thenComparing(id -> id.name().orElse(""));

  public ResourceId {
    requireSegment(project, "project");
    requireSegment(environment, "environment");
    name.ifPresent(n -> requireSegment(n, "name"));
    if ((kind == ResourceKind.SITE) == name.isPresent()) {
      throw new IllegalArgumentException(
          kind == ResourceKind.SITE ? "a site id has no name" : "a " + kind.word() + " id needs a name");
    }
  }

  public static ResourceId container(String project, String environment, String name) {
    return new ResourceId(ResourceKind.CONTAINER, project, environment, Optional.of(name));
  }

  public static ResourceId volume(String project, String environment, String name) {
    return new ResourceId(ResourceKind.VOLUME, project, environment, Optional.of(name));
  }

  public static ResourceId site(String project, String environment) {
    return new ResourceId(ResourceKind.SITE, project, environment, Optional.empty());
  }

  /** Reads {@code kind:project/environment[/name]}; throws with the reason when malformed. */
  public static ResourceId parse(String text) {
    var colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a resource id like container:shop/production/web");
    }
    var kind = ResourceKind.fromWord(text.substring(0, colon));
    var parts = text.substring(colon + 1).split("/", -1);
    var expected = kind == ResourceKind.SITE ? 2 : 3;
    if (parts.length != expected) {
      throw new IllegalArgumentException("'" + text + "': a " + kind.word() + " id has "
          + expected + " parts after the colon, separated by '/'");
    }
    return new ResourceId(kind, parts[0], parts[1],
        expected == 3 ? Optional.of(parts[2]) : Optional.empty());
  }

  /** The project/environment pair this resource belongs to, e.g. {@code shop/production}. */
  public String environmentKey() {
    return project + "/" + environment;
  }

  @Override
  public int compareTo(ResourceId other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return kind.word() + ":" + environmentKey() + name.map(n -> "/" + n).orElse("");
  }

  private static void requireSegment(String value, String what) {
    if (!SEGMENT.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid " + what + " '" + value + "' in a resource id");
    }
  }
}
