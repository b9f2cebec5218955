package dev.reconcile.model;

/** How one project environment is served: HTTPS with a certificate from the CA or from files, or plain HTTP. */
public sealed interface TlsChoice {
  /** A certificate from {@code platform.tls.acme} for every domain of the environment. */
  record Auto() implements TlsChoice {}

  /** Plain HTTP only. */
  record Off() implements TlsChoice {}

  /**
   * A certificate someone else manages (certbot, a company CA), as PEM files.
   *
   * @param certificate the certificate with its chain, relative to projects.yml unless absolute
   * @param key its private key, readable by its owner only
   */
  record Files(String certificate, String key) implements TlsChoice {}

  TlsChoice AUTO = new Auto();
  TlsChoice OFF = new Off();

  static TlsChoice fromWord(String word) {
    return switch (word) {
      case "auto" -> AUTO;
      case "off" -> OFF;
      default ->
        throw new IllegalArgumentException("tls is auto, off or {certificate, key}, not " + word);
    };
  }
}
