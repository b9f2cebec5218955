package dev.reconcile.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a tar to its end, header by header (ustar and GNU long names), so a truncated or damaged
 * archive is caught by verify, not by a restore.
 */
final class TarCheck {
  private TarCheck() {}

  /** Reads a whole archive, checking each header; how many regular files it holds. */
  static long readToEnd(InputStream in) throws IOException {
    var watching = new Watching(in);
    var buffer = new byte[64 * 1024];
    while (!watching.ended()) {
      if (watching.read(buffer) < 0) {
        break; // read() has thrown if it ended early
      }
    }
    return watching.files();
  }

  /**
   * Checks a tar as it is read through it, header by header, so that a restore checks the archive
   * while it uploads it instead of reading it first: a damaged header, or an end before the end
   * marker, fails the read that meets it.
   */
  static final class Watching extends FilterInputStream {
    private final byte[] header = new byte[512];
    private int filled;
    private long skip;
    private int zeros;
    private long files;
    private boolean ended;

    Watching(InputStream in) {
      super(in);
    }

    /** Regular files seen so far. */
    long files() {
      return files;
    }

    /** Whether the end marker (two zero blocks) has passed. */
    boolean ended() {
      return ended;
    }

    @Override
    public int read() throws IOException {
      var one = new byte[1];
      var n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      var n = in.read(b, off, len);
      if (n < 0) {
        if (!ended) {
          throw new IOException(
              skip > 0
                  ? "the archive ends inside a file: it is truncated"
                  : "the archive ends in the middle of a header: it is truncated");
        }
        return n;
      }
      see(b, off, n);
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      return Artifacts.skipByReading(this, n); // skipped bytes must be looked at too
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void see(byte[] b, int off, int n) throws IOException {
      var i = off;
      var end = off + n;
      while (i < end && !ended) {
        if (skip > 0) {
          var k = (int) Math.min(skip, end - i);
          skip -= k;
          i += k;
          continue;
        }
        var k = Math.min(512 - filled, end - i);
        System.arraycopy(b, i, header, filled, k);
        filled += k;
        i += k;
        if (filled == 512) {
          filled = 0;
          header();
        }
      }
    }

    private void header() throws IOException {
      if (isZero(header)) {
        if (++zeros == 2) {
          ended = true;
        }
        return;
      }
      zeros = 0;
      if (!checksumMatches(header)) {
        throw new IOException("a tar header's checksum does not match: the archive is damaged");
      }
      if (header[156] == '0' || header[156] == 0) {
        files++;
      }
      skip = (octal(header, 124, 12) + 511) / 512 * 512;
    }
  }

  private static boolean isZero(byte[] block) {
    for (var b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean checksumMatches(byte[] header) throws IOException {
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    return sum == octal(header, 148, 8);
  }

  private static long octal(byte[] header, int offset, int length) throws IOException {
    if ((header[offset] & 0x80) != 0) {
      // GNU base-256, for sizes beyond what 11 octal digits hold.
      long binary = 0;
      for (int i = offset + 1; i < offset + length; i++) {
        binary = (binary << 8) | (header[i] & 0xff);
      }
      return binary;
    }
    long value = 0;
    var started = false;
    for (int i = offset; i < offset + length; i++) {
      var c = header[i];
      if (c == 0 || c == ' ') {
        if (started) {
          break;
        }
        continue;
      }
      started = true;
      if (c < '0' || c > '7') {
        throw new IOException(
            "a tar header holds no number where one belongs: the archive is damaged");
      }
      value = value * 8 + (c - '0');
    }
    return value;
  }
}
