package dev.reconcile.providers.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;

/**
 * Asks the engine for its answers as they are. The HTTP client offers gzip by default and the
 * engine takes the offer: a volume's archive then streamed at 40 MiB/s instead of 340 (the engine
 * compressing, this process inflating, on the same machine or over an SSH tunnel), and every
 * listing paid for it too.
 */
final class IdentityEncoding implements DockerHttpClient {
  private final DockerHttpClient http;

  IdentityEncoding(DockerHttpClient http) {
    this.http = http;
  }

  @Override
  public Response execute(Request request) {
    return http.execute(
        Request.builder().from(request).putHeader("Accept-Encoding", "identity").build());
  }

  @Override
  public void close() throws IOException {
    http.close();
  }
}
