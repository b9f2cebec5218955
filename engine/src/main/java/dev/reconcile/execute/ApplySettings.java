package dev.reconcile.execute;

import java.time.Duration;

/**
 * Timings of a rollout.
 *
 * @param bake how long smoke checks keep passing through nginx after the switch before the old
 *     slot goes; a failure in this window puts the old slot back
 * @param drain how long the old slot keeps running after the switch, for requests in flight
 * @param releases whether containers' release commands run: not on a rollback, which puts back a
 *     version the database's schema already served
 */
public record ApplySettings(Duration bake, Duration drain, boolean releases) {
  public static final ApplySettings DEFAULT =
      new ApplySettings(Duration.ofSeconds(2), Duration.ofSeconds(3));

  public ApplySettings(Duration bake, Duration drain) {
    this(bake, drain, true);
  }

  /** The same timings, release commands not run (a rollback). */
  public ApplySettings withoutReleases() {
    return new ApplySettings(bake, drain, false);
  }
}
