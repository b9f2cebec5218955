package dev.reconcile.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads its source on a thread of its own, a few chunks ahead of its reader. A restore's upload
 * reads the archive from disk, checks its SHA-256, gunzips it and checks every tar header: work
 * that, done on the thread that writes to the engine, left the engine waiting for it (as a
 * shell's {@code gunzip | docker run -i} does not: two processes). Its source's faults reach the
 * reader, at the place in the stream where they happened.
 */
final class ReadAhead extends InputStream {
  /** Put after the last chunk. */
  private static final byte[] END = new byte[0];

  /** Chunks ({@code byte[]}), then {@link #END} or the fault that stopped the source. */
  private final BlockingQueue<Object> chunks;

  private final Thread reader;
  private byte[] current = new byte[0];
  private int at;
  private boolean ended;

  /**
   * @param chunk bytes per chunk
   * @param ahead how many chunks may wait for the reader
   */
  ReadAhead(InputStream source, int chunk, int ahead) {
    chunks = new ArrayBlockingQueue<>(ahead);
    reader = Thread.ofPlatform().daemon().name("read-ahead").start(() -> {
      try {
        // A put that a close's room let through returns with the interrupt still set: the
        // source is not read again after that.
        while (!Thread.currentThread().isInterrupted()) {
          var next = source.readNBytes(chunk);
          if (next.length == 0) {
            chunks.put(END);
            return;
          }
          chunks.put(next);
        }
      } catch (IOException | RuntimeException e) {
        try {
          chunks.put(e); // the reader takes what is queued, then this
        } catch (InterruptedException closed) {
          // Closed: nobody reads on.
        }
      } catch (InterruptedException e) {
        // Closed: nobody reads on.
      }
    });
  }

  @Override
  public int read() throws IOException {
    var one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (at == current.length) {
      if (ended) {
        return -1;
      }
      Object next;
      try {
        next = chunks.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading ahead");
      }
      switch (next) {
        case IOException fault -> throw fault;
        case RuntimeException fault -> throw fault;
        case byte[] chunk when chunk == END -> ended = true;
        case byte[] chunk -> {
          current = chunk;
          at = 0;
        }
        default -> throw new IllegalStateException("not a chunk: " + next);
      }
    }
    var n = Math.min(length, current.length - at);
    System.arraycopy(current, at, into, offset, n);
    at += n;
    return n;
  }

  /** Stops the reading thread and waits for it: the source is no longer touched after this. */
  @Override
  public void close() throws IOException {
    reader.interrupt();
    chunks.clear(); // a reader blocked on a full queue gets room, sees the interrupt and ends
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while stopping the read-ahead");
    }
  }
}
