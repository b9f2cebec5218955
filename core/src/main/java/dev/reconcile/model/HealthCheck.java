package dev.reconcile.model;

import java.time.Duration;
import java.util.Optional;

/**
 * How to tell a new container is ready. Without a path, the image's own Docker HEALTHCHECK (or,
 * lacking one, a running container) is used.
 *
 * @param retries failed probes in a row before the container counts as unhealthy
 */
public record HealthCheck(Optional<String> path, Duration interval, Duration timeout, int retries) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_RETRIES = 30;
}
