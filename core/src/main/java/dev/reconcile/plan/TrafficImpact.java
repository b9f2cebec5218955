package dev.reconcile.plan;

/**
 * What a change does to requests being served, for people and for {@code --fail-on-downtime}.
 * The executor never reads it.
 */
public enum TrafficImpact {
  /** Served throughout: blue-green, creations, graceful nginx reloads. */
  NONE("none"),
  /** The old container stops before the new one is ready. */
  BRIEF_OUTAGE("brief outage"),
  /** The domains stop being served. */
  REMOVES_SITE("removes a site");

  private final String word;

  TrafficImpact(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  public boolean interruptsTraffic() {
    return this != NONE;
  }

  public static TrafficImpact fromWord(String word) {
    for (var impact : values()) {
      if (impact.word.equals(word)) {
        return impact;
      }
    }
    throw new IllegalArgumentException("unknown traffic impact " + word);
  }
}
