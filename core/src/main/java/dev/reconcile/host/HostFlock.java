package dev.reconcile.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * An {@code flock} on a file of a host, held by a command of this run's own connection for as
 * long as its pipe is open: closing the pipe frees it, and so does the holder dying, its
 * connection dropping or the host restarting, so a lock held this way is never left stale.
 */
public final class HostFlock {
  private HostFlock() {}

  /** How to ask for the lock. */
  public enum Mode {
    /** Exclusive, waiting for it up to the given time. */
    TAKE,
    /** Shared and without waiting: only to look whether another holds it. */
    LOOK
  }

  /**
   * Asks for the lock; the open pipe holds it (close it to free it), empty when another holds it
   * (after {@code wait} for {@link Mode#TAKE}).
   *
   * @throws IOException when the host cannot be reached or has no {@code flock}
   */
  public static Optional<Host.Pipe> take(Host host, Path file, Mode mode, Duration wait)
      throws IOException {
    var pipe = host.open(command(file, mode, wait));
    String answer;
    try {
      answer = firstLine(pipe.in());
    } catch (IOException e) {
      pipe.close();
      throw e;
    }
    if (answer.equals("locked")) {
      return Optional.of(pipe);
    }
    pipe.close();
    if (answer.equals("held")) {
      return Optional.empty();
    }
    throw new IOException(
        answer.isEmpty()
            ? "flock gave no answer (is flock installed there?)"
            : "flock " + answer.replace("failed", "exited with") + " (is flock installed there?)");
  }

  /** Frees a lock {@link #take} holds; when this returns, flock has ended and the lock is free. */
  public static void release(Host.Pipe pipe) {
    try {
      pipe.out().close();
      pipe.in().readAllBytes(); // ends once flock has ended
    } catch (IOException e) {
      // The connection is gone, and flock with it.
    } finally {
      try {
        pipe.close();
      } catch (IOException e) {
        // as above
      }
    }
  }

  /**
   * The command: prints {@code locked} once it holds the lock, then holds it until its input
   * ends; prints {@code held} when another holds it.
   */
  static CommandLine command(Path file, Mode mode, Duration wait) {
    var how = mode == Mode.TAKE ? "-w " + Math.max(1, wait.toSeconds()) : "-s -n";
    return CommandLine.of(
        "sh",
        "-c",
        "mkdir -p -- \"$(dirname -- \"$1\")\" && "
            + "{ flock " + how + " -E 75 \"$1\" sh -c 'echo locked; exec cat >/dev/null'; c=$?; "
            + "[ $c -eq 75 ] && echo held || { [ $c -ne 0 ] && echo \"failed $c\"; }; }",
        "sh",
        file.toString());
  }

  /** A line read byte by byte, so nothing after it is taken from the stream. */
  private static String firstLine(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (line.size() < 256) {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8).strip();
  }
}
