package dev.reconcile.resource;

/** The kinds of resource the tool manages, in the order a plan builds them. */
public enum ResourceKind {
  NETWORK("network", false),
  VOLUME("volume", true),
  CONTAINER("container", true),
  SERVICE("service", true),
  CERTIFICATE("certificate", false),
  SITE("site", false),
  /** What runs the environment from before reconcile: stopped and kept once reconcile serves. */
  ADOPTION("adoption", false);

  private final String word;
  private final boolean named;

  ResourceKind(String word, boolean named) {
    this.word = word;
    this.named = named;
  }

  /** Whether ids of this kind carry a name; a site, a certificate and a network are one per environment. */
  public boolean named() {
    return named;
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
    throw new IllegalArgumentException("unknown resource kind '" + word
        + "' (expected container, service, site, certificate, volume, network or adoption)");
  }
}
