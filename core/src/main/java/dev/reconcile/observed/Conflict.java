package dev.reconcile.observed;

import dev.reconcile.resource.ResourceId;

/**
 * Something the tool does not manage that holds what a desired resource needs. Reported in the
 * plan, never touched.
 *
 * @param holder what holds it, e.g. {@code container other-app (3f2a1c)} or a file path
 * @param what what is held, e.g. {@code name shop-web-production-blue} or {@code port 127.0.0.1:8080}
 * @param blocks the desired resource that needs it
 */
public record Conflict(String host, String holder, String what, ResourceId blocks) {

  public String describe() {
    return holder + " on host " + host + " holds " + what;
  }
}
