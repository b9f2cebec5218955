package dev.reconcile.provider;

import dev.reconcile.util.OrderedMaps;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a site answers at {@link SiteControl#REVISION_PATH}: its revision (a short hash of its
 * file) and where the served configuration routes each component, e.g. {@code 3f2a9c0d1e2b4a5f
 * web=127.0.0.1:20001}; a swarm service's tasks are listed comma-separated. Written by the nginx provider into every site, read by observation: so
 * the tool knows which slot nginx really sends traffic to, whatever the file on disk says.
 */
public record RevisionAnswer(String revision, Map<String, String> upstreams) {
  private static final Pattern REVISION = Pattern.compile("[0-9a-f]{16}");
  private static final Pattern UPSTREAM = Pattern.compile("([a-z0-9-]+)=([0-9A-Za-z.:,\\[\\]]+)");

  public RevisionAnswer {
    upstreams = OrderedMaps.copyOf(upstreams);
  }

  /** The answer's text, without the final line break. */
  public String format() {
    var out = new StringBuilder(revision);
    upstreams.forEach(
        (component, address) -> out.append(' ').append(component).append('=').append(address));
    return out.toString();
  }

  /** Reads an answer; empty when the text is not one (another server, an old site). */
  public static Optional<RevisionAnswer> parse(String text) {
    var words = text.strip().split(" ");
    if (words.length == 0 || !REVISION.matcher(words[0]).matches()) {
      return Optional.empty();
    }
    var upstreams = new LinkedHashMap<String, String>();
    for (int i = 1; i < words.length; i++) {
      var m = UPSTREAM.matcher(words[i]);
      if (!m.matches()) {
        return Optional.empty();
      }
      upstreams.put(m.group(1), m.group(2));
    }
    return Optional.of(new RevisionAnswer(words[0], upstreams));
  }
}
