package dev.reconcile.diag;

import java.util.Comparator;

/**
 * A place in a source file; line and column are 1-based, as editors count them.
 *
 * @param file the file as the user named it (not made absolute, so messages stay short)
 */
public record SourcePosition(String file, int line, int column)
    implements Comparable<SourcePosition> {
  private static final Comparator<SourcePosition> ORDER = Comparator.comparing(SourcePosition::file)
      .thenComparingInt(SourcePosition::line)
      .thenComparingInt(SourcePosition::column);

  public SourcePosition {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
  }

  /** The start of a file, for problems that belong to the file as a whole. */
  public static SourcePosition startOf(String file) {
    return new SourcePosition(file, 1, 1);
  }

  @Override
  public int compareTo(SourcePosition other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
