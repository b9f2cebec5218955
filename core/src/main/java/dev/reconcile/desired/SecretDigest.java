package dev.reconcile.desired;

import dev.reconcile.resource.SpecHash;

/**
 * Stands in for a secret value wherever the tool records or compares it. Salted with where the
 * value lives, so equal secrets in two places do not give equal digests. (Whoever can read the
 * label can also read the container's environment, so this hides nothing from them; it keeps the
 * value out of plans, logs and manifests.)
 */
public final class SecretDigest {
  private SecretDigest() {}

  public static String of(String where, String variable, String value) {
    return "sha256:" + SpecHash.sha256(where + "\u0000" + variable + "\u0000" + value);
  }
}
