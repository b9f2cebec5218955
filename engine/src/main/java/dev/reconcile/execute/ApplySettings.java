package dev.reconcile.execute;

import java.time.Duration;

/**
 * Timings of a rollout.
 *
 * @param bake how long smoke checks keep passing through nginx after the switch before the old
 *     slot goes; a failure in this window puts the old slot back
 * @param drain how long the old slot keeps running after the switch, for requests in flight
 */
public record ApplySettings(Duration bake, Duration drain) {
  public static final ApplySettings DEFAULT = new ApplySettings(Duration.ofSeconds(2), Duration.ofSeconds(3));
}
