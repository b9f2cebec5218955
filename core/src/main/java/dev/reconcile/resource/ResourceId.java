package dev.reconcile.resource;

import java.util.Optional;

/**
 * Which resource: kind, project, environment and, except for sites and certificates (one per
 * environment), a name. Printed as {@code container:shop/production/backend}, {@code
 * site:shop/production}, {@code certificate:shop/production}, {@code network:shop/production} or {@code
 * volume:shop/production/data}; {@link #parse} reads that form back.
 */
public record ResourceId(
    ResourceKind kind, String project, String environment, Optional<String> name)
    implements Comparable<ResourceId> {

  public ResourceId {
    requireSegment(project, "project");
    requireSegment(environment, "environment");
    name.ifPresent(n -> requireSegment(n, "name"));
    if (kind.named() != name.isPresent()) {
      throw new IllegalArgumentException(
          kind.named()
              ? "a " + kind.word() + " id needs a name"
              : "a " + kind.word() + " id has no name");
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

  public static ResourceId service(String project, String environment, String name) {
    return new ResourceId(ResourceKind.SERVICE, project, environment, Optional.of(name));
  }

  public static ResourceId network(String project, String environment) {
    return new ResourceId(ResourceKind.NETWORK, project, environment, Optional.empty());
  }

  public static ResourceId adoption(String project, String environment) {
    return new ResourceId(ResourceKind.ADOPTION, project, environment, Optional.empty());
  }

  public static ResourceId certificate(String project, String environment) {
    return new ResourceId(ResourceKind.CERTIFICATE, project, environment, Optional.empty());
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
    var expected = kind.named() ? 3 : 2;
    if (parts.length != expected) {
      throw new IllegalArgumentException("'" + text + "': a " + kind.word() + " id has " + expected
          + " parts after the colon, separated by '/'");
    }
    return new ResourceId(
        kind, parts[0], parts[1], expected == 3 ? Optional.of(parts[2]) : Optional.empty());
  }

  /** The project/environment pair this resource belongs to, e.g. {@code shop/production}. */
  public String environmentKey() {
    return project + "/" + environment;
  }

  /** By project, environment, kind (volumes, containers, site), then name. */
  @Override
  public int compareTo(ResourceId other) {
    // Written out rather than a Comparator chain: plans of thousands of resources sort and look
    // up ids tens of thousands of times (see bench/).
    var c = project.compareTo(other.project);
    if (c == 0) {
      c = environment.compareTo(other.environment);
    }
    if (c == 0) {
      c = kind.compareTo(other.kind);
    }
    return c != 0 ? c : name.orElse("").compareTo(other.name.orElse(""));
  }

  @Override
  public String toString() {
    return kind.word() + ":" + environmentKey() + name.map(n -> "/" + n).orElse("");
  }

  private static void requireSegment(String value, String what) {
    if (!isSegment(value)) {
      throw new IllegalArgumentException("invalid " + what + " '" + value + "' in a resource id");
    }
  }

  /** {@code [a-z0-9][a-z0-9_-]*}, checked by hand: ids are built in the diff's inner loop. */
  private static boolean isSegment(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      var ch = value.charAt(i);
      var ok =
          ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || i > 0 && (ch == '-' || ch == '_');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
