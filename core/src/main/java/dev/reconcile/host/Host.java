package dev.reconcile.host;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where things run: this machine, or a server reached over SSH. Every host-specific operation
 * of the engine and the providers goes through one, so none of them touches the local machine
 * by assumption. Paths are the host's own (POSIX) paths. Implementations are safe for use by
 * several threads at once.
 */
public interface Host extends AutoCloseable {
  /** The name in {@code platform.hosts}, for messages. */
  String name();

  /**
   * Runs a program to its end (argv, never a shell line), or kills it after {@code timeout}.
   *
   * @throws IOException when it cannot be started or timed out; the message says which
   */
  CommandResult run(CommandLine command, Duration timeout) throws IOException;

  /**
   * Runs a program that leaves a daemon behind (nginx), its output written to {@code log} on
   * the host instead of a pipe: a daemon keeps the pipes of whoever started it, and reading them
   * would never end.
   */
  CommandResult runDetached(CommandLine command, Path log, Duration timeout) throws IOException;

  /**
   * Starts a program to talk to over its stdin and stdout, for protocols carried over stdio (the
   * Docker API through {@code docker system dial-stdio}). Closing the pipe ends the program's
   * input; the program ends when it sees that.
   */
  Pipe open(CommandLine command) throws IOException;

  /** The two ends of a conversation with a program on the host. */
  interface Pipe extends Closeable {
    InputStream in();

    OutputStream out();
  }

  /**
   * Runs a program with this process's standard input, output and error, a person at the other
   * end ({@code reconcile exec}): on a terminal ({@code terminal}) with one of the host's own, so
   * that a shell or psql behaves as at the host's console. Returns its exit code.
   */
  int interactive(CommandLine command, boolean terminal) throws IOException, InterruptedException;

  /** A file's text; empty when there is no such file. */
  Optional<String> read(Path file) throws IOException;

  /**
   * Writes a file atomically: a temp file in the same folder, written in full and synced, renamed
   * over the target. A reader sees the old text or the new, never a torn file.
   */
  void write(Path file, String text) throws IOException;

  /**
   * Like {@link #write}, for a secret (a private key): the file is readable by its owner only
   * (0600) from the moment it exists, never wider for an instant.
   */
  void writePrivate(Path file, String text) throws IOException;

  /**
   * Writes a new file from a stream of any size, synced to disk before it returns; a file already
   * there is an error. Not atomic by itself: callers write into a folder of their own and
   * {@link #rename} it into place. The file is private (0600) from the moment it exists: what is
   * uploaded is a backup's (database rows, a site, a snapshot).
   */
  void upload(Path file, InputStream content) throws IOException;

  /** Like {@link #createDirectories}, the folder itself private (0700), also when it was there. */
  void createPrivateDirectories(Path dir) throws IOException;

  /** A file's bytes as a stream; {@link java.nio.file.NoSuchFileException} when there is none. */
  default InputStream download(Path file) throws IOException {
    return download(file, 0, Long.MAX_VALUE);
  }

  /**
   * At most {@code length} of a file's bytes from {@code offset} on (none past its end), as a
   * stream; {@link java.nio.file.NoSuchFileException} when there is none. Only what is read
   * crosses a connection, and nothing past the length is asked for: a file that grows while it
   * is read (a busy site's access log) is read to the size taken before, not chased for ever.
   */
  InputStream download(Path file, long offset, long length) throws IOException;

  /** A file's size in bytes; empty when there is no such file. */
  OptionalLong size(Path file) throws IOException;

  /** Renames a file or folder in one step; {@code to} must not exist. */
  void rename(Path from, Path to) throws IOException;

  /** Deletes a file; false when there was none. */
  boolean delete(Path file) throws IOException;

  /** The names in a folder, sorted; empty when the folder does not exist. */
  List<String> list(Path dir) throws IOException;

  void createDirectories(Path dir) throws IOException;

  /** A new empty folder under {@code parent}, for one caller's scratch files. */
  Path createTempDirectory(Path parent, String prefix) throws IOException;

  /** Deletes a folder and everything in it; a folder already gone is fine. */
  void deleteTree(Path dir) throws IOException;

  /**
   * Where this machine reaches {@code address:port} as the host sees it: the same address on this
   * machine, a forward through the SSH connection for a remote host. Container ports are published on the
   * host's loopback only, so probes never need them open to the world.
   */
  InetSocketAddress reach(String address, int port) throws IOException;

  /** Whether nothing listens on the host's loopback port right now. */
  boolean portFree(int port) throws IOException;

  /** Free bytes on the disk holding {@code place} (or its nearest existing parent). */
  OptionalLong freeBytes(Path place) throws IOException;

  /** Releases the connection, if any. */
  @Override
  void close();

  /**
   * Whether calls can still go through: false once a connection to a server dropped (the server
   * rebooted, the network went). A long-running caller connects again (see the engine's Hosts).
   */
  default boolean isOpen() {
    return true;
  }

  /** The formatted duration used in messages: {@code 30 s} or {@code 250 ms}. */
  static String describe(Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }

  /** Kept from a command's output: enough for {@code nginx -t}, bounded against a chatty one. */
  int MAX_OUTPUT = 64 * 1024;
}
