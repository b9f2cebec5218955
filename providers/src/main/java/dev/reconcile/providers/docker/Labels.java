package dev.reconcile.providers.docker;

/** The labels on everything the tool creates in Docker (design.md, "Conventions on the hosts"). */
public final class Labels {
  public static final String MANAGED = "reconcile.managed";
  public static final String PROJECT = "reconcile.project";
  public static final String ENVIRONMENT = "reconcile.environment";
  public static final String COMPONENT = "reconcile.component";
  public static final String SPEC_HASH = "reconcile.spec-hash";
  public static final String SLOT = "reconcile.slot";
  /** The container's fingerprint as canonical JSON (secret values as digests): names what changed. */
  public static final String SPEC = "reconcile.spec";
  /** A managed volume's name inside its project environment. */
  public static final String VOLUME = "reconcile.volume";

  /** The label filter that selects managed objects. */
  public static final String MANAGED_FILTER = MANAGED + "=true";

  private Labels() {}
}
