package dev.reconcile.model;

/** Loopback host ports the tool may publish containers on, both ends included. */
public record PortRange(int first, int last) {
  public static final PortRange DEFAULT = new PortRange(20000, 29999);

  public PortRange {
    if (first > last) {
      throw new IllegalArgumentException("empty port range " + first + "-" + last);
    }
  }

  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  public int size() {
    return last - first + 1;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
