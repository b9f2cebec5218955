package dev.reconcile.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load as API clients make it, and as wrk does: each of a few connections is kept alive and sends
 * one request after the other, never retrying. A request sent on a connection the server then
 * closes without answering counts as failed (what a reload does to idle kept-alive connections);
 * a connection the server closes after saying {@code Connection: close} is opened again.
 */
final class KeptAliveLoad {
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final int port;
  private final String host;

  private KeptAliveLoad(int port, String host, int connections) {
    this.port = port;
    this.host = host;
    for (int i = 0; i < connections; i++) {
      threads.add(Thread.ofPlatform().name("kept-alive-" + i).start(this::run));
    }
  }

  static KeptAliveLoad start(int port, String host, int connections) {
    return new KeptAliveLoad(port, host, connections);
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  long answered() {
    return answered.get();
  }

  /** How many times a connection was opened again after the first. */
  long reconnects() {
    return reconnects.get();
  }

  void stop() throws InterruptedException {
    stop.set(true);
    for (var thread : threads) {
      thread.join();
    }
  }

  private void run() {
    var first = true;
    while (!stop.get()) {
      if (!first) {
        reconnects.incrementAndGet();
      }
      first = false;
      try (var socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        var out = socket.getOutputStream();
        var in = new BufferedInputStream(socket.getInputStream());
        var request =
            ("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        while (!stop.get()) {
          out.write(request);
          out.flush();
          var answer = read(in);
          if (answer == null) {
            failures.add("the connection closed with a request sent and no answer");
            break;
          }
          if (answer.status() != 200) {
            failures.add("answered " + answer.status());
          } else {
            answered.incrementAndGet();
          }
          if (answer.close()) {
            break;
          }
        }
      } catch (IOException e) {
        if (!stop.get()) {
          failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
    }
  }

  private record Answer(int status, boolean close) {}

  /** One response with a Content-Length body; null when the connection ends before it is whole. */
  private static Answer read(InputStream in) throws IOException {
    var statusLine = line(in);
    if (statusLine == null) {
      return null;
    }
    var parts = statusLine.split(" ", 3);
    var status = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
    long length = 0;
    var close = false;
    while (true) {
      var header = line(in);
      if (header == null) {
        return null;
      }
      if (header.isEmpty()) {
        break;
      }
      var lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).strip());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      } else if (lower.startsWith("transfer-encoding:")) {
        throw new IOException("a chunked answer; the test pages have a length");
      }
    }
    try {
      in.skipNBytes(length);
    } catch (EOFException e) {
      return null;
    }
    return new Answer(status, close);
  }

  private static String line(InputStream in) throws IOException {
    var out = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != -1; ) {
      if (b == '\n') {
        var text = out.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      out.write(b);
    }
    return null;
  }
}
