package dev.reconcile.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip stream that compresses only what shrinks: each chunk's first bytes are tried at the
 * fastest level first, and a chunk that would not shrink by a tenth is stored as it is. Volumes
 * of uploads (photos, videos, archives) do not compress, and deflating them cost a backup most
 * of its time (23 MiB/s on random bytes, at any level); stored, they move at disk speed. The
 * output is ordinary gzip: any gunzip, and every older reconcile, reads it.
 */
final class AdaptiveGzip extends GZIPOutputStream {
  static final int CHUNK = 1 << 20;
  static final int SAMPLE = 16 * 1024;
  /** A sample must compress to less than this share of its size for its chunk to be deflated. */
  private static final double WORTH_IT = 0.9;

  private final byte[] chunk = new byte[CHUNK];
  private final Deflater probe = new Deflater(Deflater.BEST_SPEED, true);
  private final byte[] probeOut = new byte[SAMPLE + 1024];
  private int filled;
  private int level = Deflater.DEFAULT_COMPRESSION;
  private long stored;
  private long deflated;

  AdaptiveGzip(OutputStream out) throws IOException {
    super(out, 64 * 1024);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      var n = Math.min(len, CHUNK - filled);
      System.arraycopy(b, off, chunk, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == CHUNK) {
        flushChunk();
      }
    }
  }

  @Override
  public synchronized void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void finish() throws IOException {
    flushChunk();
    super.finish();
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      probe.end();
    }
  }

  /** Bytes of input stored without compression, and deflated: for tests and measurements. */
  long stored() {
    return stored;
  }

  long deflated() {
    return deflated;
  }

  private void flushChunk() throws IOException {
    if (filled == 0) {
      return;
    }
    var shrinks = shrinks(chunk, Math.min(filled, SAMPLE));
    var wanted = shrinks ? Deflater.DEFAULT_COMPRESSION : Deflater.NO_COMPRESSION;
    if (wanted != level) {
      level = wanted;
      def.setLevel(wanted);
      // A new level applies only after a deflate call: made here with no new input, so the
      // chunk below is not compressed at the old one.
      deflate();
    }
    if (shrinks) {
      deflated += filled;
    } else {
      stored += filled;
    }
    super.write(chunk, 0, filled);
    filled = 0;
  }

  private boolean shrinks(byte[] data, int length) {
    probe.reset();
    probe.setInput(data, 0, length);
    probe.finish();
    var size = 0;
    while (!probe.finished()) {
      size += probe.deflate(probeOut);
    }
    return size < length * WORTH_IT;
  }
}
