package dev.reconcile.backup;

import dev.reconcile.history.BackupManifest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Checks a backup's files against its manifest wherever they are (a local folder, a server over
 * SFTP), reading each file once: its size and SHA-256 as recorded, and, when asked, every
 * compressed archive or dump read to its end on the way.
 */
final class Artifacts {
  private Artifacts() {}

  /** Opens one artifact's bytes. */
  interface Opener {
    InputStream open(BackupManifest.Artifact artifact) throws IOException;
  }

  /** Empty when every artifact is whole; else one line per bad one, naming its file. */
  static List<String> check(BackupManifest manifest, Opener opener, boolean readArchives) {
    var problems = new ArrayList<String>();
    for (var artifact : manifest.artifacts()) {
      try (var raw = opener.open(artifact)) {
        var counted = new Counted(raw);
        String unreadable = null;
        if (readArchives && artifact.file().endsWith(".gz")) {
          try {
            var gzip = new GZIPInputStream(new Unclosed(counted), 64 * 1024);
            if (artifact.file().endsWith(".tar.gz")) {
              TarCheck.readToEnd(gzip);
            }
            gzip.transferTo(OutputStream.nullOutputStream());
          } catch (IOException e) {
            unreadable = e.getMessage();
          }
        }
        counted.transferTo(OutputStream.nullOutputStream());
        var mismatch = mismatch(counted, artifact);
        if (mismatch.isPresent()) {
          problems.add(mismatch.get());
        } else if (unreadable != null) {
          problems.add(artifact.file() + ": cannot be read to its end: " + unreadable);
        }
      } catch (NoSuchFileException e) {
        problems.add(artifact.file() + ": missing");
      } catch (IOException e) {
        problems.add(artifact.file() + ": " + e.getMessage());
      }
    }
    return problems;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** What is wrong with the bytes read through {@code counted}, against the manifest; empty when whole. */
  static Optional<String> mismatch(Counted counted, BackupManifest.Artifact artifact) {
    var sha = HexFormat.of().formatHex(counted.digest.digest());
    if (counted.count != artifact.size()) {
      return Optional.of(
          artifact.file() + ": " + counted.count + " bytes, the manifest says " + artifact.size());
    }
    return sha.equals(artifact.sha256())
        ? Optional.empty()
        : Optional.of(
            artifact.file() + ": SHA-256 " + sha + ", the manifest says " + artifact.sha256());
  }

  /** Skips by reading through {@code in}'s own read, for a stream that must see every byte. */
  static long skipByReading(InputStream in, long n) throws IOException {
    var buffer = new byte[8192];
    long done = 0;
    while (done < n) {
      var got = in.read(buffer, 0, (int) Math.min(buffer.length, n - done));
      if (got < 0) {
        break;
      }
      done += got;
    }
    return done;
  }

  /** Counts and hashes what is read through it. */
  static final class Counted extends FilterInputStream {
    final MessageDigest digest = sha256();
    long count;

    Counted(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      var b = in.read();
      if (b >= 0) {
        digest.update((byte) b);
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      var n = in.read(b, off, len);
      if (n > 0) {
        digest.update(b, off, n);
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      return skipByReading(this, n); // skipped bytes must be hashed too
    }
  }

  /** Lets the gzip reader stop without closing the file the rest is read from. */
  static final class Unclosed extends FilterInputStream {
    Unclosed(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
