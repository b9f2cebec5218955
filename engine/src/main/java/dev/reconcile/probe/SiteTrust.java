package dev.reconcile.probe;

import dev.reconcile.util.Certificates;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trust for a probe of one site at an address: the chain must lead to a trusted CA, and the
 * certificate must name the site. The JDK's own check would compare it with the address the
 * probe connects to (loopback, a tunnel), which no certificate names; this one compares it with
 * the site's domain, as a browser asking for that domain would.
 */
final class SiteTrust extends X509ExtendedTrustManager {
  private final String domain;
  private final Optional<X509TrustManager> trust;

  /** @param trust empty: accept any chain (observation only reads which certificate is served) */
  SiteTrust(String domain, Optional<X509TrustManager> trust) {
    this.domain = domain.toLowerCase(Locale.ROOT);
    this.trust = trust;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    if (trust.isEmpty()) {
      return;
    }
    trust.get().checkServerTrusted(chain, authType);
    if (!names(chain[0])) {
      throw new CertificateException("the certificate served does not name " + domain);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  private boolean names(X509Certificate certificate) {
    try {
      var names = certificate.getSubjectAlternativeNames();
      return names != null
          && names.stream()
              .filter(n -> ((Integer) n.get(0)) == 2)
              .map(n -> ((String) n.get(1)).toLowerCase(Locale.ROOT))
              .anyMatch(n -> Certificates.covers(n, domain));
    } catch (CertificateParsingException e) {
      return false;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a probe is never a server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return trust.map(X509TrustManager::getAcceptedIssuers).orElse(new X509Certificate[0]);
  }
}
