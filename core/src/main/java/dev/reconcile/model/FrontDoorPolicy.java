package dev.reconcile.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a project asks of the front door beyond its routes.
 *
 * @param headers response header -> value, or empty to drop one of the defaults
 * @param snippet a file of nginx directives included in each server block, relative to projects.yml
 * @param max5xx the share (0 to 1) of a new version's answers during the bake that may be 5xx
 */
public record FrontDoorPolicy(
    Map<String, Optional<String>> headers, Optional<String> snippet, double max5xx) {
  public static final double DEFAULT_MAX_5XX = 0.05;
  /** Security headers every site sends unless its project says otherwise (seed 003's list). */
  public static final Map<String, String> DEFAULT_HEADERS = defaults();

  public static final FrontDoorPolicy DEFAULT =
      new FrontDoorPolicy(Map.of(), Optional.empty(), DEFAULT_MAX_5XX);

  public FrontDoorPolicy {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** The headers a site sends: the defaults with the project's additions and removals. */
  public Map<String, String> effectiveHeaders() {
    var out = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
    out.putAll(DEFAULT_HEADERS);
    headers.forEach((name, value) -> {
      if (value.isPresent()) {
        out.put(name, value.get());
      } else {
        out.remove(name);
      }
    });
    return out;
  }

  private static Map<String, String> defaults() {
    var out = new LinkedHashMap<String, String>();
    out.put("X-Content-Type-Options", "nosniff");
    out.put("X-Frame-Options", "SAMEORIGIN");
    out.put("Referrer-Policy", "strict-origin-when-cross-origin");
    return Collections.unmodifiableMap(out);
  }
}
