package dev.reconcile.resource;

/** The kinds of resource the tool manages, in the order a plan builds them. */
public enum ResourceKind {
  VOLUME("volume"),
  CONTAINER("container"),
  SITE("site");

  private final String word;

  ResourceKind(String word) {
    this.word = word;
  }

  /** The lowercase word used in ids, plans and labels. */
  public String word() {
    return word;
  }

  public static ResourceKind fromWord(String word) {
    for (var kind : values()) {
      if (kind.word.equals(word)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown resource kind '" + word + "' (expected container, site or volume)");
  }
}
