package dev.reconcile.model;

import java.time.Duration;

/**
 * How the front door passes requests to one routed container.
 *
 * @param maxBody the largest request body in bytes; 0 for no limit
 * @param timeout how long nginx waits between two reads of the answer
 * @param buffering false: answers pass on as they come (streaming, server-sent events)
 */
public record Proxy(long maxBody, Duration timeout, boolean buffering) {
  public static final long DEFAULT_MAX_BODY = 100L << 20;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final Proxy DEFAULT = new Proxy(DEFAULT_MAX_BODY, DEFAULT_TIMEOUT, true);
}
