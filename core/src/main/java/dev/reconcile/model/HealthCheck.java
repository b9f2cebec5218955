package dev.reconcile.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to tell a new container is ready: an HTTP path on its port, or a command the engine runs
 * inside it (a HEALTHCHECK). With neither, the image's own HEALTHCHECK (or, lacking one, a
 * running container) is used.
 *
 * @param command argv run inside the container; empty when none
 * @param retries failed probes in a row before the container counts as unhealthy
 */
public record HealthCheck(
    Optional<String> path, List<String> command, Duration interval, Duration timeout, int retries) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_RETRIES = 30;

  public HealthCheck {
    command = List.copyOf(command);
  }

  public HealthCheck(Optional<String> path, Duration interval, Duration timeout, int retries) {
    this(path, List.of(), interval, timeout, retries);
  }

  /** The check of a container that declares none. */
  public static final HealthCheck DEFAULT =
      new HealthCheck(Optional.empty(), DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_RETRIES);

  /** How long a new container may take to pass it before its start counts as failed. */
  public Duration window() {
    return interval.multipliedBy(retries);
  }
}
