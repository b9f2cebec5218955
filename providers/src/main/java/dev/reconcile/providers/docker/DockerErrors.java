package dev.reconcile.providers.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.reconcile.provider.ProviderException;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one place that catches docker-java's exceptions and says what they mean for the user.
 * Connection faults name the host and endpoint and what to check.
 */
final class DockerErrors {
  private DockerErrors() {}

  /** Runs a Docker call; a failure becomes a {@link ProviderException} saying where and why. */
  static <T> T call(DockerHost host, String what, Supplier<T> call) throws ProviderException {
    try {
      return call.get();
    } catch (NotFoundException e) {
      throw new ProviderException.Terminal(host.describe(), what + ": not found", "", e);
    } catch (DockerException e) {
      var status = e.getHttpStatus();
      var message = what + " failed: the engine answered " + status + " " + firstLine(e.getMessage());
      throw status >= 500
          ? new ProviderException.Transient(host.describe(), message, "retry; if it persists, "
              + "check the engine's log (journalctl -u docker)", e)
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
  static <T> Optional<T> find(DockerHost host, String what, Supplier<T> call) throws ProviderException {
    try {
      return Optional.of(call(host, what, call));
    } catch (ProviderException e) {
      if (e.getCause() instanceof NotFoundException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static ProviderException unreachable(DockerHost host, IOException cause, RuntimeException e) {
    var detail = cause.getMessage() == null ? cause.getClass().getSimpleName()
        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    return new ProviderException.Transient(host.describe(),
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

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    var line = text.strip().lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
