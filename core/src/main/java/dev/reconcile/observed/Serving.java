package dev.reconcile.observed;

import dev.reconcile.util.OrderedMaps;
import java.util.Map;

/**
 * What nginx actually serves for a site, as asked at the site's revision path, beside what its
 * file says: a file can be installed and never reloaded (a crash between the two), and nginx
 * can be down while every file is in place.
 */
public sealed interface Serving {
  /** A short, stable form for digests and messages. */
  String describe();

  /**
   * nginx answers the site's revision.
   *
   * @param upstreams component -> address, as the served configuration routes them
   */
  record Serves(String revision, Map<String, String> upstreams) implements Serving {
    public Serves {
      upstreams = OrderedMaps.copyOf(upstreams);
    }

    @Override
    public String describe() {
      return "serves " + revision;
    }
  }

  /** nginx runs and answers, but not with this site's revision: the site was never loaded. */
  record NotServed(String answer) implements Serving {
    @Override
    public String describe() {
      return "not served (" + answer + ")";
    }
  }

  /** nginx does not run, or nothing answers where it should listen. */
  record Down(String why) implements Serving {
    @Override
    public String describe() {
      return "down (" + why + ")";
    }
  }

  /** Not asked: the file has no revision (made by an older version), or nothing could ask. */
  record Unknown() implements Serving {
    @Override
    public String describe() {
      return "unknown";
    }
  }

  Serving UNKNOWN = new Unknown();
}
