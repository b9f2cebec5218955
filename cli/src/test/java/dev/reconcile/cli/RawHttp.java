package dev.reconcile.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HTTP as a browser's or an API client's bytes on a socket, through nginx with a Host header of
 * the test's: a large upload, and a WebSocket handshake with one message each way.
 */
final class RawHttp {
  private RawHttp() {}

  /** The status line and the body of a POST of {@code body}, on a connection of its own. */
  static String[] post(int port, String host, String path, byte[] body) throws IOException {
    try (var socket = connect(port)) {
      var out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host
              + "\r\nContent-Type: application/octet-stream\r\n" + "Content-Length: " + body.length
              + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      var answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      var status = answer.lines().findFirst().orElse("");
      var split = answer.indexOf("\r\n\r\n");
      return new String[] {status, split < 0 ? "" : answer.substring(split + 4)};
    }
  }

  /**
   * Opens a WebSocket at {@code path}, sends {@code message} as a text frame and returns the status
   * line of the handshake and the first text message that comes back.
   */
  static String[] websocket(int port, String host, String path, String message) throws IOException {
    try (var socket = connect(port)) {
      var out = socket.getOutputStream();
      var key = Base64.getEncoder().encodeToString(random(16));
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + "Sec-WebSocket-Key: " + key
              + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      var in = new DataInputStream(socket.getInputStream());
      var head = readHead(in);
      var status = head.lines().findFirst().orElse("");
      if (!status.contains(" 101 ")) {
        return new String[] {status, ""};
      }
      sendText(out, message);
      return new String[] {status, readText(in)};
    }
  }

  /**
   * Reads a server-sent event stream to its end on a thread of its own: the {@code data:} lines,
   * and the status line first. Resolves when the server closes the connection.
   */
  static java.util.concurrent.CompletableFuture<java.util.List<String>> events(
      int port, String host, String path) {
    return java.util.concurrent.CompletableFuture.supplyAsync(
        () -> {
          var lines = new java.util.ArrayList<String>();
          try (var socket = connect(port)) {
            socket
                .getOutputStream()
                .write(
                    ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            var reader = new java.io.BufferedReader(
                new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            lines.add(reader.readLine());
            for (String line; (line = reader.readLine()) != null; ) {
              if (line.startsWith("data:")) {
                lines.add(line);
              }
            }
          } catch (IOException e) {
            lines.add("failed: " + e.getMessage());
          }
          return lines;
        },
        java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
  }

  private static Socket connect(int port) throws IOException {
    var socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(30_000);
    return socket;
  }

  private static String readHead(InputStream in) throws IOException {
    var head = new ByteArrayOutputStream();
    var last = new int[4];
    for (int b; (b = in.read()) >= 0; ) {
      head.write(b);
      last[0] = last[1];
      last[1] = last[2];
      last[2] = last[3];
      last[3] = b;
      if (last[0] == '\r' && last[1] == '\n' && last[2] == '\r' && last[3] == '\n') {
        break;
      }
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** A client's frame: final, text, masked (RFC 6455 5.3). */
  private static void sendText(OutputStream out, String text) throws IOException {
    var payload = text.getBytes(StandardCharsets.UTF_8);
    if (payload.length > 125) {
      throw new IllegalArgumentException("a short message only");
    }
    var mask = random(4);
    out.write(0x81);
    out.write(0x80 | payload.length);
    out.write(mask);
    for (var i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    out.flush();
  }

  /** The first text frame the server sends (unmasked, short). */
  private static String readText(DataInputStream in) throws IOException {
    while (true) {
      var first = in.readUnsignedByte();
      var length = in.readUnsignedByte() & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        throw new IOException("a frame too long for a test");
      }
      var payload = new byte[length];
      in.readFully(payload);
      if ((first & 0x0f) == 1) {
        return new String(payload, StandardCharsets.UTF_8);
      }
    }
  }

  private static byte[] random(int n) {
    var bytes = new byte[n];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
