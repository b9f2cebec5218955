package dev.reconcile.providers.docker;

import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.util.Texts;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The one place that catches docker-java's exceptions and says what they mean for the user.
 * Connection faults name the host and endpoint and what to check.
 */
final class DockerErrors {
  private static final Pattern ENGINE_JSON =
      Pattern.compile("Status \\d+: \\{\"message\":\"(.*)\"\\}");

  private DockerErrors() {}

  /** A Docker call that may wait, and so be interrupted. */
  @FunctionalInterface
  interface Waiting<T> {
    T get() throws InterruptedException;
  }

  /**
   * Runs a Docker call, bounded by the host's timeout; a failure becomes a {@link
   * ProviderException} saying where and why.
   */
  static <T> T call(DockerHost host, String what, Supplier<T> call) throws ProviderException {
    return call(host, what, Duration.ZERO, call);
  }

  /** Like {@link #call(DockerHost, String, Supplier)}, for a call the engine answers late. */
  static <T> T call(DockerHost host, String what, Duration engineWaits, Supplier<T> call)
      throws ProviderException {
    try {
      return awaiting(host, what, () -> host.bounded(engineWaits, call));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException.Terminal(host.describe(), what + " was interrupted", "", e);
    }
  }

  /** A Docker call that may wait and gives nothing back (a stream's end, a copy). */
  @FunctionalInterface
  interface Done {
    void run() throws InterruptedException;
  }

  /** Like {@link #awaiting}, for a call that gives nothing back. */
  static void awaitingDone(DockerHost host, String what, Done call)
      throws ProviderException, InterruptedException {
    awaiting(host, what, () -> {
      call.run();
      return Boolean.TRUE;
    });
  }

  /** Like {@link #call}, for a call that waits (a pull's completion). */
  static <T> T awaiting(DockerHost host, String what, Waiting<T> call)
      throws ProviderException, InterruptedException {
    try {
      return call.get();
    } catch (DockerClientException e) {
      // What the engine streamed as the error of a pull, e.g. "manifest unknown".
      throw new ProviderException.Terminal(
          host.describe(), what + " failed: " + firstLine(Texts.messageOf(e)), "", e);
    } catch (NotFoundException e) {
      throw new ProviderException.Terminal(host.describe(), what + ": not found", "", e);
    } catch (DockerException e) {
      var status = e.getHttpStatus();
      var message = what + " failed: the engine answered " + status + ": " + engineMessage(e);
      throw status >= 500
          ? new ProviderException.Transient(
              host.describe(),
              message,
              "retry; if it persists, " + "check the engine's log (journalctl -u docker)",
              e)
          : new ProviderException.Terminal(host.describe(), message, "", e);
    } catch (RuntimeException e) {
      var io = ioCause(e);
      if (io.isPresent()) {
        throw unreachable(host, io.get(), e);
      }
      throw e;
    }
  }

  /** Runs a lookup where "not found" is an answer, not a fault. */
  static <T> Optional<T> find(DockerHost host, String what, Supplier<T> call)
      throws ProviderException {
    try {
      return Optional.of(call(host, what, call));
    } catch (ProviderException e) {
      if (e.getCause() instanceof NotFoundException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Runs a call that moves a container to a state (started, stopped): true when it changed, false
   * when the engine answered 304, already in that state.
   */
  static boolean settle(DockerHost host, String what, Runnable call) throws ProviderException {
    try {
      call(host, what, () -> {
        call.run();
        return true;
      });
      return true;
    } catch (ProviderException e) {
      if (e.getCause() instanceof NotModifiedException) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Whether a start failed because its host port is taken: by another container ("port is already
   * allocated") or by a process of the host ("address already in use", from the engine's proxy).
   * What the engine said when so.
   */
  static Optional<String> portTaken(ProviderException e) {
    if (!(e.getCause() instanceof DockerException docker)) {
      return Optional.empty();
    }
    var said = fullEngineMessage(docker);
    if (!said.contains("port is already allocated") && !said.contains("address already in use")) {
      return Optional.empty();
    }
    // The engine's words end with the cause; its endpoint ids before that are noise.
    var colon = said.indexOf(": ", said.indexOf("):"));
    return Optional.of(colon > 0 ? said.substring(colon + 2) : said);
  }

  static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // Closing a stream that is given up on anyway.
    }
  }

  private static ProviderException unreachable(
      DockerHost host, IOException cause, RuntimeException e) {
    if (cause instanceof SocketTimeoutException) {
      return new ProviderException.Transient(
          host.describe(),
          "the Docker engine accepted the " + "connection but did not answer in time ("
              + cause.getMessage() + ")",
          "is the engine hung? 'docker version' shows whether it answers; the host's timeout "
              + "(platform.hosts.NAME.timeout) sets how long to wait",
          e);
    }
    var detail = cause.getMessage() == null
        ? cause.getClass().getSimpleName()
        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    return new ProviderException.Transient(
        host.describe(),
        "cannot reach the Docker engine (" + detail + ")",
        host.endpoint().startsWith("unix://")
            ? "is dockerd running? Check that " + host.endpoint().substring("unix://".length())
                + " exists and is readable by this user (docker version shows both)"
            : "is the engine listening at " + host.endpoint() + "? Check the address and firewall",
        e);
  }

  private static Optional<IOException> ioCause(Throwable e) {
    for (var t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return Optional.of(io);
      }
    }
    return Optional.empty();
  }

  /**
   * What the engine said, without the transport's wrapping: docker-java reports an error answer
   * as {@code Status 500: {"message":"manifest unknown"}}.
   */
  static String engineMessage(RuntimeException e) {
    return shortened(fullEngineMessage(e));
  }

  /** What the engine said, whole (its first line): to match on, not to show. */
  private static String fullEngineMessage(RuntimeException e) {
    var text =
        e.getMessage() == null ? "" : e.getMessage().strip().lines().findFirst().orElse("");
    var matcher = ENGINE_JSON.matcher(text);
    return matcher.matches() ? matcher.group(1).replace("\\\"", "\"") : text;
  }

  private static String firstLine(String text) {
    return text == null ? "" : shortened(text.strip().lines().findFirst().orElse(""));
  }

  private static String shortened(String line) {
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
