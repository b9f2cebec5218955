package dev.reconcile.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 GET on loopback with a chosen Host header (Java's HTTP clients refuse to set
 * Host, which checks through nginx need). Small answers only: health and smoke checks.
 */
public final class HttpProbe {
  private static final int MAX_BODY = 64 * 1024;

  /** An answer, or why there was none. */
  public record Answer(int status, String body, String error) {
    public boolean answered() {
      return status > 0;
    }

    public String describe() {
      return answered() ? "HTTP " + status : error;
    }
  }

  private HttpProbe() {}

  public static Answer get(String host, int port, String path, String hostHeader, Duration timeout) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      var request = "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader
          + "\r\nUser-Agent: reconcile\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      var in = socket.getInputStream();
      var buffer = new ByteArrayOutputStream();
      var chunk = new byte[8192];
      int n;
      while ((n = in.read(chunk)) > 0 && buffer.size() < MAX_BODY) {
        buffer.write(chunk, 0, n);
      }
      return parse(buffer.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Answer(0, "", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  static Answer parse(String response) {
    var lineEnd = response.indexOf("\r\n");
    var statusLine = lineEnd < 0 ? response : response.substring(0, lineEnd);
    var parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      return new Answer(0, "", "not an HTTP answer: " + statusLine);
    }
    var bodyStart = response.indexOf("\r\n\r\n");
    try {
      return new Answer(Integer.parseInt(parts[1]), bodyStart < 0 ? "" : response.substring(bodyStart + 4), "");
    } catch (NumberFormatException e) {
      return new Answer(0, "", "not an HTTP status: " + statusLine);
    }
  }
}
