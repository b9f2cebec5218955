package dev.reconcile.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Whom HTTPS connections of the tool trust: the JDK's CAs, plus those of {@code
 * platform.tls.acme.ca_bundle} (a private or test CA) and any certificate given (a site's own
 * file, trusted as itself).
 */
public final class TlsTrust {
  private TlsTrust() {}

  /** The certificates of a PEM file. */
  public static List<X509Certificate> read(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      var out = new ArrayList<X509Certificate>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (CertificateException e) {
      throw new IOException(pem + " holds no readable PEM certificates: " + e.getMessage(), e);
    }
  }

  /** A trust manager for the JDK's CAs and the given extra anchors. */
  public static X509TrustManager trusting(List<X509Certificate> extra) {
    try {
      var jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null);
      var defaults = (X509TrustManager) jdk.getTrustManagers()[0];
      if (extra.isEmpty()) {
        return defaults;
      }
      var store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      var i = 0;
      for (var anchor : defaults.getAcceptedIssuers()) {
        store.setCertificateEntry("jdk-" + i++, anchor);
      }
      for (var anchor : extra) {
        store.setCertificateEntry("extra-" + i++, anchor);
      }
      var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return (X509TrustManager) factory.getTrustManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
    }
  }

  /** A TLS context trusting the JDK's CAs and those of {@code bundle}. */
  public static SSLContext context(Optional<Path> bundle) throws IOException {
    var extra = bundle.isPresent() ? read(bundle.get()) : List.<X509Certificate>of();
    return context(trusting(extra));
  }

  /**
   * A TLS context for clients that only ever speak plain HTTP (the engine's Unix socket, nginx on
   * loopback), which insist on one: it refuses every use. The JDK's default context would cost a
   * short run ~100 ms to load its CA store, and any real one ~30 ms to set up.
   */
  public static SSLContext none() {
    return Refusing.CONTEXT;
  }

  /** Made at first use; no TLS code of the JDK is loaded for it. */
  private static final class Refusing extends SSLContextSpi {
    static final SSLContext CONTEXT = new SSLContext(
        new Refusing(), new Provider("reconcile-plain-http", "1", "no TLS") {}, "none") {};

    private static UnsupportedOperationException refused() {
      return new UnsupportedOperationException("this client speaks plain HTTP only");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {}

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return new SSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return new SSLParameters();
    }
  }

  public static SSLContext context(TrustManager trust) {
    try {
      var context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
