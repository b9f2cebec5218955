package dev.reconcile.host;

import dev.reconcile.util.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where the state every apply of an environment must agree on lives (owner id, secret key,
 * history, journal, holds, locks, audit log, drift ledger): a folder on this machine, or a folder
 * on a server reached over the run's SSH connection, so that every checkout of projects.yml that
 * reaches the server sees the same state. Paths are the state host's own. Writes are atomic on
 * both: a reader sees the old text or the new.
 */
public sealed interface StateHome {
  /** The folder everything lives under. */
  Path dir();

  /** The host's name for messages: {@code local} for this machine. */
  String hostName();

  /** Whether the folder is on this machine (its files can be opened and locked directly). */
  default boolean onThisMachine() {
    return this instanceof Local;
  }

  /** A file for messages: its path, and the server when not this machine. */
  default String describe(Path file) {
    return onThisMachine() ? file.toString() : file + " on " + hostName();
  }

  /** A file's text; empty when there is none. */
  Optional<String> read(Path file) throws IOException;

  /** Replaces a file atomically, making its folder when missing. */
  void write(Path file, String text) throws IOException;

  /** Like {@link #write}, readable by its owner only (0600) from the moment it exists. */
  void writePrivate(Path file, String text) throws IOException;

  /**
   * Creates a file with the text unless it exists: of two writers at once exactly one wins, and
   * neither reader sees a partial file. False when it existed.
   */
  boolean createIfAbsent(Path file, String text, boolean secret) throws IOException;

  /** The names in a folder, sorted; empty when there is no folder. */
  List<String> list(Path dir) throws IOException;

  /** Deletes a file; false when there was none. */
  boolean delete(Path file) throws IOException;

  /**
   * Whether this run may write the folder (or, before it exists, make it): a read-only account
   * plans, but an apply must be refused before it changes anything.
   */
  boolean writable() throws IOException;

  /**
   * Appends a line to a log, first moving a log of {@code maxBytes} or more to {@code NAME.1}
   * (and so on, up to {@code keep}).
   */
  void append(Path log, String line, long maxBytes, int keep) throws IOException;

  /** A folder on this machine: NIO and the one helper for atomic writes. */
  record Local(Path dir) implements StateHome {
    @Override
    public String hostName() {
      return "local";
    }

    @Override
    public Optional<String> read(Path file) throws IOException {
      return readHere(file);
    }

    /** A file of this machine's text; empty when there is none (the one way, for LocalHost too). */
    public static Optional<String> readHere(Path file) throws IOException {
      try {
        return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
    }

    @Override
    public void write(Path file, String text) throws IOException {
      AtomicFiles.writeString(file, text);
    }

    @Override
    public void writePrivate(Path file, String text) throws IOException {
      AtomicFiles.writeString(file, text, AtomicFiles.PRIVATE);
    }

    @Override
    public boolean createIfAbsent(Path file, String text, boolean secret) throws IOException {
      return AtomicFiles.createIfAbsent(
          file, text.getBytes(StandardCharsets.UTF_8), secret ? AtomicFiles.PRIVATE : null);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
      return listHere(dir);
    }

    /** The sorted names in a folder of this machine; empty when there is none. */
    public static List<String> listHere(Path dir) throws IOException {
      if (!Files.isDirectory(dir)) {
        return List.of();
      }
      try (Stream<Path> files = Files.list(dir)) {
        return files.map(p -> p.getFileName().toString()).sorted().toList();
      }
    }

    @Override
    public boolean writable() {
      var d = dir.toAbsolutePath();
      while (d != null && !Files.exists(d)) {
        d = d.getParent();
      }
      return d != null && Files.isWritable(d);
    }

    @Override
    public boolean delete(Path file) throws IOException {
      var deleted = Files.deleteIfExists(file);
      AtomicFiles.syncDirectory(AtomicFiles.parentOf(file.toAbsolutePath()));
      return deleted;
    }

    @Override
    public void append(Path log, String line, long maxBytes, int keep) throws IOException {
      Files.createDirectories(log.toAbsolutePath().getParent());
      if (Files.exists(log) && Files.size(log) >= maxBytes) {
        Files.deleteIfExists(rotated(log, keep));
        for (int i = keep - 1; i >= 1; i--) {
          if (Files.exists(rotated(log, i))) {
            Files.move(rotated(log, i), rotated(log, i + 1), StandardCopyOption.ATOMIC_MOVE);
          }
        }
        Files.move(log, rotated(log, 1), StandardCopyOption.ATOMIC_MOVE);
      }
      try (var channel = FileChannel.open(
          log, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        channel.force(false);
      }
    }
  }

  /** Where a log's {@code n}th older part is kept. */
  static Path rotated(Path log, int n) {
    return log.resolveSibling(log.getFileName() + "." + n);
  }

  /** The host of a state folder on a server, as the run reaches it now (connected anew after a drop). */
  interface HostRef {
    Host get() throws IOException;
  }

  /**
   * A folder on a server, through the host seam (SFTP and commands over the run's connection).
   *
   * @param hostName the server's name in {@code platform.hosts}
   */
  record Remote(String hostName, HostRef host, Path dir) implements StateHome {
    @Override
    public Optional<String> read(Path file) throws IOException {
      return host.get().read(file);
    }

    @Override
    public void write(Path file, String text) throws IOException {
      var h = host.get();
      h.createDirectories(AtomicFiles.parentOf(file));
      h.write(file, text);
    }

    @Override
    public void writePrivate(Path file, String text) throws IOException {
      var h = host.get();
      h.createDirectories(AtomicFiles.parentOf(file));
      h.writePrivate(file, text);
    }

    @Override
    public boolean createIfAbsent(Path file, String text, boolean secret) throws IOException {
      var h = host.get();
      h.createDirectories(AtomicFiles.parentOf(file));
      var temp = file.resolveSibling("." + file.getFileName() + ".new-" + UUID.randomUUID());
      // Written in full (0600) under a temp name, then renamed, which refuses an existing target.
      h.upload(temp, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
      try {
        if (!secret) {
          h.run(CommandLine.of("chmod", "0644", temp.toString()), Duration.ofSeconds(30));
        }
        h.rename(temp, file);
        return true;
      } catch (IOException e) {
        if (h.read(file).isPresent()) {
          return false;
        }
        throw e;
      } finally {
        h.delete(temp);
      }
    }

    @Override
    public List<String> list(Path dir) throws IOException {
      return host.get().list(dir);
    }

    @Override
    public boolean delete(Path file) throws IOException {
      return host.get().delete(file);
    }

    @Override
    public boolean writable() throws IOException {
      var probe = host.get()
          .run(
              CommandLine.of(
                  "sh",
                  "-c",
                  "d=$1; while [ ! -e \"$d\" ]; do d=$(dirname -- \"$d\"); done; test -w \"$d\"",
                  "sh",
                  dir.toString()),
              Duration.ofSeconds(30));
      return probe.exitCode() == 0;
    }

    @Override
    public void append(Path log, String line, long maxBytes, int keep) throws IOException {
      var h = host.get();
      h.createDirectories(AtomicFiles.parentOf(log));
      // One command, so a rotation and the append are never split by a dropped connection.
      var script =
          "f=\"$1\"; max=\"$2\"; keep=\"$3\"; size=$(stat -c %s -- \"$f\" 2>/dev/null || echo 0); "
              + "if [ \"$size\" -ge \"$max\" ]; then i=$keep; rm -f -- \"$f.$i\"; "
              + "while [ $i -gt 1 ]; do j=$((i-1)); [ -e \"$f.$j\" ] && mv -- \"$f.$j\" \"$f.$i\"; i=$j; done; "
              + "mv -- \"$f\" \"$f.1\"; fi; cat >> \"$f\"";
      try (var pipe = h.open(CommandLine.of(
          "sh",
          "-c",
          script,
          "sh",
          log.toString(),
          Long.toString(maxBytes),
          Integer.toString(keep)))) {
        pipe.out().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        pipe.out().close();
        pipe.in().readAllBytes(); // ends when the command has ended: the line is in the file
      }
    }
  }
}
