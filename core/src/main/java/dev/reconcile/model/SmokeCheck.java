package dev.reconcile.model;

import java.util.Optional;

/** An HTTP request a new slot must answer as expected before it gets traffic. */
public record SmokeCheck(String path, int status, Optional<String> contains) {
  public static final int DEFAULT_STATUS = 200;
}
