package dev.reconcile.providers.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A Docker engine of canned answers, in place of the transport: unit tests of the classes that
 * speak the engine's API (exec, archives) without an engine. Each answer is picked by the first
 * route whose method and path pattern match; a request no route takes is answered 404, as the
 * engine answers what it does not know. What came in is kept with its body.
 */
final class FakeEngine implements DockerHttpClient {
  /** One request as the engine received it. */
  record Received(String method, String path, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** An answer: status, body. */
  record Answer(int status, InputStream body) {
    static Answer json(String json) {
      return new Answer(200, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    static Answer empty(int status) {
      return new Answer(status, InputStream.nullInputStream());
    }
  }

  private final Map<String, Function<Received, Answer>> routes = new LinkedHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  /** @param pattern a regular expression over the path without the API version or query */
  FakeEngine on(String method, String pattern, Function<Received, Answer> answer) {
    routes.put(method + " " + pattern, answer);
    return this;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** A host whose client talks to this fake only. */
  DockerHost host() {
    return DockerHost.connect("local", "unix:///nonexistent/fake.sock", http -> this);
  }

  /**
   * The engine's multiplexed stream of an exec without a TTY: each frame an 8-byte header (the
   * stream, 1 stdout or 2 stderr, and the payload's length) and its payload.
   */
  static byte[] frames(Object... streamAndText) {
    var out = new ByteArrayOutputStream();
    for (int i = 0; i < streamAndText.length; i += 2) {
      var payload = ((String) streamAndText[i + 1]).getBytes(StandardCharsets.UTF_8);
      var header = ByteBuffer.allocate(8);
      header.put((byte) (int) (Integer) streamAndText[i]).put(new byte[3]).putInt(payload.length);
      out.writeBytes(header.array());
      out.writeBytes(payload);
    }
    return out.toByteArray();
  }

  @Override
  public Response execute(Request request) {
    var path = request.path().replaceAll("\\?.*", "").replaceAll("^/v[0-9.]+", "");
    byte[] body;
    try (var in = request.body()) {
      body = in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var got = new Received(request.method(), path, body);
    received.add(got);
    for (var route : routes.entrySet()) {
      var parts = route.getKey().split(" ", 2);
      if (parts[0].equals(request.method()) && path.matches(parts[1])) {
        return response(route.getValue().apply(got));
      }
    }
    return response(new Answer(
        404,
        new ByteArrayInputStream(("{\"message\":\"no route in the fake for " + path + "\"}")
            .getBytes(StandardCharsets.UTF_8))));
  }

  private static Response response(Answer answer) {
    return new Response() {
      @Override
      public int getStatusCode() {
        return answer.status();
      }

      @Override
      public Map<String, List<String>> getHeaders() {
        return Map.of("Content-Type", new ArrayList<>(List.of("application/json")));
      }

      @Override
      public InputStream getBody() {
        return answer.body();
      }

      @Override
      public void close() {
        try {
          answer.body().close();
        } catch (IOException e) {
          // Nothing to release in a fake's answer.
        }
      }
    };
  }

  @Override
  public void close() {}
}
