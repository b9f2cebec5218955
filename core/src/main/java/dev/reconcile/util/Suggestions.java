package dev.reconcile.util;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean ...?" for a misspelt name: the closest candidate within a small edit distance. */
public final class Suggestions {
  private Suggestions() {}

  public static Optional<String> closest(String typed, Collection<String> candidates) {
    var limit = Math.max(1, Math.min(3, typed.length() / 3));
    var prefixed = candidates.stream()
        .filter(c -> typed.length() >= 3 && (c.startsWith(typed) || typed.startsWith(c)))
        .min(Comparator.comparingInt(String::length));
    if (prefixed.isPresent()) {
      return prefixed;
    }
    return candidates.stream()
        .filter(c -> distance(typed, c) <= limit)
        .min(Comparator.comparingInt((String c) -> distance(typed, c)).thenComparing(c -> c));
  }

  /** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
  static int distance(String a, String b) {
    var d = new int[a.length() + 1][b.length() + 1];
    for (var i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (var j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (var i = 1; i <= a.length(); i++) {
      for (var j = 1; j <= b.length(); j++) {
        var cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
