package dev.reconcile.model;

import java.time.Duration;
import java.util.List;

/**
 * A command run once per deploy of a container, in a throwaway container of the new image, before
 * the new version takes traffic: migrations, typically.
 *
 * @param command argv, run instead of the image's command
 * @param timeout how long it may run before the deploy is stopped
 */
public record Release(List<String> command, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  public Release {
    command = List.copyOf(command);
  }
}
