package dev.reconcile.backup;

import java.io.EOFException;
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
    var header = new byte[512];
    var zeros = 0;
    var files = 0L;
    while (true) {
      if (in.readNBytes(header, 0, 512) < 512) {
        throw new IOException("the archive ends in the middle of a header: it is truncated");
      }
      if (isZero(header)) {
        if (++zeros == 2) {
          return files;
        }
        continue;
      }
      zeros = 0;
      if (!checksumMatches(header)) {
        throw new IOException("a tar header's checksum does not match: the archive is damaged");
      }
      if (header[156] == '0' || header[156] == 0) {
        files++;
      }
      var size = octal(header, 124, 12);
      var padded = (size + 511) / 512 * 512;
      try {
        in.skipNBytes(padded);
      } catch (EOFException e) {
        throw new IOException("the archive ends inside a file: it is truncated", e);
      }
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
        throw new IOException("a tar header holds no number where one belongs: the archive is damaged");
      }
      value = value * 8 + (c - '0');
    }
    return value;
  }
}
