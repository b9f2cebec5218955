package dev.reconcile.desired;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stands in for a secret value wherever the tool records or compares it: HMAC-SHA256 under the
 * state directory's own key ({@code STATE/secret.key}, never printed), of where the value lives,
 * its name and the value. Without the key a digest in a plan, label or snapshot cannot be tested
 * against guessed values offline (a plain hash salted with the public resource id could). Whoever
 * can read a container's environment sees the value anyway; this keeps it out of plans, logs and
 * manifests.
 */
public final class SecretDigest {
  /**
   * No key: for tests and tools whose digests are never published. The engine always uses the
   * state directory's key.
   */
  public static final SecretDigest UNKEYED = new SecretDigest(new byte[32]);

  private final byte[] key;

  private SecretDigest(byte[] key) {
    this.key = key.clone();
  }

  public static SecretDigest withKey(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("a secret key has at least 32 bytes");
    }
    return new SecretDigest(key);
  }

  public String of(String where, String variable, String value) {
    try {
      var mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      var digest = mac.doFinal(
          (where + "\u0000" + variable + "\u0000" + value).getBytes(StandardCharsets.UTF_8));
      return "hmac-sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return Arrays.equals(key, UNKEYED.key) ? "SecretDigest[unkeyed]" : "SecretDigest[key hidden]";
  }
}
