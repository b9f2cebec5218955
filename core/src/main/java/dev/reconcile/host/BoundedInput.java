package dev.reconcile.host;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * At most a given number of bytes of a stream, then its end: a file read up to the size it had
 * when the read began, however fast it grows while it is read (a busy site's access log).
 */
public final class BoundedInput extends FilterInputStream {
  private long left;

  public BoundedInput(InputStream in, long length) {
    super(in);
    this.left = Math.max(0, length);
  }

  @Override
  public int read() throws IOException {
    if (left <= 0) {
      return -1;
    }
    var b = super.read();
    if (b >= 0) {
      left--;
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (left <= 0) {
      return -1;
    }
    var n = super.read(buffer, offset, (int) Math.min(length, left));
    if (n > 0) {
      left -= n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    var skipped = super.skip(Math.min(n, left));
    left -= Math.max(0, skipped);
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(super.available(), left);
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
