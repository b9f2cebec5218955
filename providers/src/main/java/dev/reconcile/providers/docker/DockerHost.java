package dev.reconcile.providers.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A connection to one Docker engine. The API version is left unset: docker-java does not
 * negotiate, and the engine answers unversioned paths with its own version.
 */
public final class DockerHost implements AutoCloseable {
  private final String name;
  private final String endpoint;
  private final DockerClient client;

  private DockerHost(String name, String endpoint, DockerClient client) {
    this.name = name;
    this.endpoint = endpoint;
    this.client = client;
  }

  /**
   * Connects lazily (nothing is sent until the first call).
   *
   * @param transport wraps the HTTP client, e.g. to count calls in tests; identity otherwise
   */
  public static DockerHost connect(String name, String endpoint, UnaryOperator<DockerHttpClient> transport) {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(endpoint).build();
    DockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(URI.create(endpoint))
        .connectionTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(60))
        .maxConnections(16)
        .build();
    return new DockerHost(name, endpoint, DockerClientImpl.getInstance(config, transport.apply(http)));
  }

  public String name() {
    return name;
  }

  public String endpoint() {
    return endpoint;
  }

  /** For this package only: callers outside go through the provider. */
  DockerClient client() {
    return client;
  }

  String describe() {
    return "host " + name + " (" + endpoint + ")";
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // Closing an idle HTTP client can only fail to free sockets, which the JVM's exit frees.
    }
  }
}
