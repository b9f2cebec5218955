package dev.reconcile.providers.tls;

import dev.reconcile.util.Certificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** PEM text in and out: certificate chains, private keys in the forms openssl and certbot write. */
final class Pem {
  private static final String BEGIN_CERTIFICATE = "-----BEGIN CERTIFICATE-----";
  private static final String END_CERTIFICATE = "-----END CERTIFICATE-----";

  private Pem() {}

  /** Every certificate in a PEM text, leaf first as written; other blocks (a key) are skipped. */
  static List<X509Certificate> certificates(String text) throws CertificateException {
    var blocks = new StringBuilder();
    var from = 0;
    while (true) {
      var begin = text.indexOf(BEGIN_CERTIFICATE, from);
      if (begin < 0) {
        break;
      }
      var end = text.indexOf(END_CERTIFICATE, begin);
      if (end < 0) {
        throw new CertificateException("a certificate block has no END line");
      }
      blocks.append(text, begin, end + END_CERTIFICATE.length()).append('\n');
      from = end + END_CERTIFICATE.length();
    }
    var out = new ArrayList<X509Certificate>();
    for (var c : CertificateFactory.getInstance("X.509")
        .generateCertificates(
            new ByteArrayInputStream(blocks.toString().getBytes(StandardCharsets.US_ASCII)))) {
      out.add((X509Certificate) c);
    }
    if (out.isEmpty()) {
      throw new CertificateException("no certificate (-----BEGIN CERTIFICATE-----) in it");
    }
    return out;
  }

  /** The private key in a PEM text: PKCS#8, or the traditional RSA/EC forms. */
  static PrivateKey privateKey(String text) throws IOException {
    try (var parser = new PEMParser(new StringReader(text))) {
      var converter = new JcaPEMKeyConverter();
      for (var object = parser.readObject(); object != null; object = parser.readObject()) {
        switch (object) {
          case PEMKeyPair pair -> {
            return converter.getKeyPair(pair).getPrivate();
          }
          case PrivateKeyInfo info -> {
            return converter.getPrivateKey(info);
          }
          case PEMEncryptedKeyPair e ->
            throw new IOException(
                "the key is encrypted with a passphrase; "
                    + "nginx must read it unattended: write it without one (openssl pkey -in KEY -out KEY.plain)");
          case PKCS8EncryptedPrivateKeyInfo e ->
            throw new IOException(
                "the key is encrypted with a "
                    + "passphrase; nginx must read it unattended: write it without one (openssl pkey -in KEY -out KEY.plain)");
          default -> {}
        }
      }
    } catch (RuntimeException e) {
      throw new IOException("not a readable PEM private key: " + e.getMessage(), e);
    }
    throw new IOException("no private key (-----BEGIN ... PRIVATE KEY-----) in it");
  }

  /** Whether the key is the certificate's: it signs, and the certificate's public key verifies. */
  static boolean matches(PrivateKey key, PublicKey certificateKey) {
    var algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> "";
    };
    if (algorithm.isEmpty()
        || !key.getAlgorithm().equals(certificateKey.getAlgorithm())
            && !(key.getAlgorithm().startsWith("EC")
                && certificateKey.getAlgorithm().startsWith("EC"))) {
      return false;
    }
    try {
      var probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      var signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      var signature = signer.sign();
      var verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificateKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * A private key as PKCS#8 PEM, which every OpenSSL reads: the curve travels in the algorithm
   * identifier. (Written as "EC PRIVATE KEY" from the JDK's own EC keys, the curve was lost and
   * nginx could not load it.)
   */
  static String privateKey(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException(
          "a " + key.getAlgorithm() + " key without a PKCS#8 encoding");
    }
    var base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
  }

  static String write(Object... objects) throws IOException {
    var out = new StringWriter();
    try (var writer = new JcaPEMWriter(out)) {
      for (var object : objects) {
        writer.writeObject(object);
      }
    }
    return out.toString();
  }

  /** The DNS names a certificate covers (subject alternative names of type dNSName). */
  static List<String> dnsNames(X509Certificate certificate) {
    try {
      var names = certificate.getSubjectAlternativeNames();
      if (names == null) {
        return List.of();
      }
      return names.stream()
          .filter(n -> ((Integer) n.get(0)) == 2)
          .map(n -> (String) n.get(1))
          .toList();
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  /** Whether a certificate name ({@code *.example.com} or exact) covers a domain. */
  static boolean covers(String name, String domain) {
    return Certificates.covers(name, domain);
  }

  static String sha256(X509Certificate certificate) {
    return Certificates.sha256(certificate);
  }
}
