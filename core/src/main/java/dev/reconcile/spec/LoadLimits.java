package dev.reconcile.spec;

/**
 * Guard rails against hostile or broken input: a spec is small, so anything far larger is refused
 * before it can cost memory or time.
 *
 * @param maxBytes the largest file read at all
 * @param maxAliases how many aliases of collections a file may use (a "billion laughs" bomb
 *     needs many)
 * @param maxNodes how many nodes the tree may have once aliases are expanded
 * @param maxDepth how deeply collections may nest
 */
public record LoadLimits(long maxBytes, int maxAliases, int maxNodes, int maxDepth) {
  public static final LoadLimits DEFAULT = new LoadLimits(8L << 20, 100, 500_000, 50);
}
