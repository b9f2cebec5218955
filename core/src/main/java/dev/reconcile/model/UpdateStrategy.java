package dev.reconcile.model;

/** How a changed container is replaced. */
public enum UpdateStrategy {
  /** New slot beside the old one, traffic switched when it is healthy: no downtime. */
  BLUE_GREEN("blue-green"),
  /** Old container stopped, then the new one started: a brief outage, one writer at a time. */
  RECREATE("recreate");

  private final String word;

  UpdateStrategy(String word) {
    this.word = word;
  }

  /** The word used in projects.yml and in plans. */
  public String word() {
    return word;
  }

  public static UpdateStrategy fromWord(String word) {
    for (var s : values()) {
      if (s.word.equals(word)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown update strategy " + word);
  }
}
