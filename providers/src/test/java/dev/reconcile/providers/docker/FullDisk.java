package dev.reconcile.providers.docker;

import java.io.IOException;
import java.io.OutputStream;

/** Where output goes when the disk is full: every write fails as ENOSPC does. */
final class FullDisk extends OutputStream {
  static final String MESSAGE = "No space left on device";

  @Override
  public void write(int b) throws IOException {
    throw new IOException(MESSAGE);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    throw new IOException(MESSAGE);
  }
}
