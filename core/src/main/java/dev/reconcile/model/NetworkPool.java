package dev.reconcile.model;

/**
 * The IPv4 range the networks of project environments take their subnets from, one /24 each.
 *
 * @param base the range's first address, as a number
 * @param prefix its prefix length, at most 24
 */
public record NetworkPool(long base, int prefix) {
  public static final NetworkPool DEFAULT = parse("10.210.0.0/16");
  public static final int SUBNET_PREFIX = 24;

  public NetworkPool {
    if (prefix < 8 || prefix > SUBNET_PREFIX) {
      throw new IllegalArgumentException(
          "a network pool needs a prefix from /8 to /24, not /" + prefix);
    }
    base = base & mask(prefix);
  }

  /** {@code 10.210.0.0/16}; the caller validated the form. */
  public static NetworkPool parse(String cidr) {
    var slash = cidr.indexOf('/');
    return new NetworkPool(
        address(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
  }

  /** The /24 subnets of the pool, in order. */
  public int subnets() {
    return 1 << (SUBNET_PREFIX - prefix);
  }

  /** The i-th /24 of the pool, as {@code A.B.C.0/24}. */
  public String subnet(int i) {
    return block(SUBNET_PREFIX, i);
  }

  /** How many blocks of this prefix the pool holds (one, the whole pool, for a shorter prefix). */
  public int blocks(int blockPrefix) {
    return 1 << (Math.max(blockPrefix, prefix) - prefix);
  }

  /** The i-th block of this prefix (the whole pool for a shorter prefix), as {@code A.B.C.D/P}. */
  public String block(int blockPrefix, int i) {
    var p = Math.max(blockPrefix, prefix);
    return text(base + ((long) i << (32 - p))) + "/" + p;
  }

  public static long address(String dotted) {
    var parts = dotted.split("\\.");
    long value = 0;
    for (var part : parts) {
      var octet = Integer.parseInt(part);
      if (octet > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      }
      value = value << 8 | octet;
    }
    return value;
  }

  public static String text(long address) {
    return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "."
        + (address & 255);
  }

  public static long mask(int prefix) {
    return prefix == 0 ? 0 : 0xFFFFFFFFL << (32 - prefix) & 0xFFFFFFFFL;
  }

  /** Whether two ranges, each {@code ADDRESS/PREFIX}, share an address. */
  public static boolean overlap(String a, String b) {
    var sa = a.indexOf('/');
    var sb = b.indexOf('/');
    var pa = Integer.parseInt(a.substring(sa + 1));
    var pb = Integer.parseInt(b.substring(sb + 1));
    var shorter = Math.min(pa, pb);
    return (address(a.substring(0, sa)) & mask(shorter))
        == (address(b.substring(0, sb)) & mask(shorter));
  }

  @Override
  public String toString() {
    return text(base) + "/" + prefix;
  }
}
