package dev.reconcile.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A command's output, read on a thread of its own: the first {@link Host#MAX_OUTPUT} bytes kept,
 * the rest read and dropped, so that the command never blocks on a full pipe. What a host reads
 * before the output proper (SSH: the process group's id) is {@link #head}'s.
 */
public class BoundedOutput implements Runnable {
  private final InputStream in;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

  public BoundedOutput(InputStream in) {
    this.in = in;
  }

  /** Reads what comes before the output; nothing by default. */
  protected void head(InputStream in) throws IOException {}

  /** Keeps these bytes as output, as far as the bound allows. */
  protected final void keep(byte[] bytes, int length) {
    synchronized (kept) {
      kept.write(bytes, 0, Math.max(0, Math.min(length, Host.MAX_OUTPUT - kept.size())));
    }
  }

  @Override
  public final void run() {
    try (in) {
      head(in);
      var chunk = new byte[8192];
      int n;
      while ((n = in.read(chunk)) >= 0) {
        keep(chunk, n);
      }
    } catch (IOException e) {
      // The stream closed under us (the process was killed, the channel closed): what was read is
      // kept.
    }
  }

  /** What was kept so far, as UTF-8. */
  public String text() {
    synchronized (kept) {
      return kept.toString(StandardCharsets.UTF_8);
    }
  }
}
