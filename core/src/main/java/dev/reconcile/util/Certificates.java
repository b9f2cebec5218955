package dev.reconcile.util;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/** What identifies a certificate: the SHA-256 of its DER bytes (public, like the certificate). */
public final class Certificates {
  private Certificates() {}

  /** The first certificate of a PEM text (the leaf of a chain); other blocks, a key, are skipped. */
  public static X509Certificate leaf(String pem) throws CertificateException {
    var begin = pem.indexOf("-----BEGIN CERTIFICATE-----");
    var end = pem.indexOf("-----END CERTIFICATE-----", Math.max(begin, 0));
    if (begin < 0 || end < 0) {
      throw new CertificateException("no certificate in it");
    }
    var block = pem.substring(begin, end + "-----END CERTIFICATE-----".length()) + "\n";
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(block.getBytes(StandardCharsets.US_ASCII)));
  }

  /** Whether a name a certificate holds ({@code *.example.com}, one label deep, or exact) covers a domain. */
  public static boolean covers(String name, String domain) {
    var n = name.toLowerCase(Locale.ROOT);
    var d = domain.toLowerCase(Locale.ROOT);
    if (n.startsWith("*.")) {
      var dot = d.indexOf('.');
      return dot > 0 && d.substring(dot).equals(n.substring(1));
    }
    return n.equals(d);
  }

  public static String sha256(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
