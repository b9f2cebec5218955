package dev.reconcile.util;

/**
 * Checks through nginx must name the site (Host); the JDK's HttpClient refuses that header (and
 * Connection) unless told, and reads that once, when its first client is made in the process. So
 * any code that makes an HttpClient (a probe, the webhook, the ACME client) calls this first.
 */
public final class HostHeader {
  private HostHeader() {}

  public static void allow() {
    if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
      System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host,connection");
    }
  }
}
