package dev.reconcile.providers.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.AuthConfigurations;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.core.SSLConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.reconcile.model.HostSpec;
import dev.reconcile.util.TlsTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A connection to one Docker engine. The API version is left unset: docker-java does not
 * negotiate, and the engine answers unversioned paths with its own version.
 */
public final class DockerHost implements AutoCloseable {
  private final String name;
  private final String endpoint;
  private final String shown;
  private final DockerClient client;

  private final Duration timeout;

  private DockerHost(
      String name, String endpoint, String shown, DockerClient client, Duration timeout) {
    this.name = name;
    this.endpoint = endpoint;
    this.shown = shown;
    this.client = client;
    this.timeout = timeout;
  }

  /**
   * Connects lazily (nothing is sent until the first call).
   *
   * @param transport wraps the HTTP client, e.g. to count calls in tests; identity otherwise
   */
  public static DockerHost connect(
      String name, String endpoint, UnaryOperator<DockerHttpClient> transport) {
    return connect(name, endpoint, HostSpec.Docker.DEFAULT_TIMEOUT, transport);
  }

  /** @param timeout how long one call may wait for the engine's answer */
  public static DockerHost connect(
      String name, String endpoint, Duration timeout, UnaryOperator<DockerHttpClient> transport) {
    return connect(name, endpoint, endpoint, timeout, transport);
  }

  /** @param shown the endpoint in messages (an engine over SSH: its server, not the local socket) */
  static DockerHost connect(
      String name,
      String endpoint,
      String shown,
      Duration timeout,
      UnaryOperator<DockerHttpClient> transport) {
    var config = new SharedMapper(DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(endpoint)
        .build());
    var uri = URI.create(endpoint);
    var builder = new ApacheDockerHttpClient.Builder()
        .dockerHost(uri)
        .connectionTimeout(Duration.ofSeconds(5))
        .responseTimeout(timeout)
        .maxConnections(16);
    if ("unix".equals(uri.getScheme())) {
      // Never used over a socket (an SSH tunnel is one too), but without it the transport reads
      // the JDK's CA store at every start. Not for tcp://, where a context would mean https.
      builder.sslConfig(TlsTrust::none);
    }
    DockerHttpClient http = builder.build();
    return new DockerHost(
        name,
        endpoint,
        shown,
        DockerClientImpl.getInstance(config, transport.apply(new IdentityEncoding(http))),
        timeout);
  }

  /**
   * Runs one call and waits for it at most the host's timeout. docker-java's unix-socket transport
   * ignores its own read timeout, so an engine that accepts and never answers would hold the
   * caller for ever; the deadline is kept here instead. A call given up on stays blocked on a
   * daemon thread until the engine answers or the process ends.
   */
  <T> T bounded(Supplier<T> call) throws InterruptedException {
    return bounded(Duration.ZERO, call);
  }

  /**
   * Like {@link #bounded(Supplier)}, for a call the engine answers only after a wait of its own
   * (a stop, which waits out the container's stop grace): the host's timeout plus that wait.
   */
  <T> T bounded(Duration engineWaits, Supplier<T> call) throws InterruptedException {
    var timeout = this.timeout.plus(engineWaits);
    if (unanswered.get() >= MOST_UNANSWERED) {
      // A hung engine would otherwise hold one more thread with every call, for as long as a
      // controller runs: it is not asked again until one of those calls returns.
      throw new UncheckedIOException(new SocketTimeoutException(unanswered.get()
          + " calls to this engine are still unanswered; not asking it more until one returns"));
    }
    // 0 running, 1 returned, 2 given up (its thread still blocked, counted in unanswered).
    var state = new AtomicInteger();
    var future = CompletableFuture.supplyAsync(
        () -> {
          try {
            return call.get();
          } finally {
            if (!state.compareAndSet(0, 1)) {
              unanswered.decrementAndGet();
            }
          }
        },
        CALLS);
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      if (state.compareAndSet(0, 2)) {
        unanswered.incrementAndGet();
      }
      future.cancel(true);
      throw new UncheckedIOException(new SocketTimeoutException("no answer within "
          + (timeout.toMillis() % 1000 == 0
              ? timeout.toSeconds() + " s"
              : timeout.toMillis() + " ms")));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Calls given up on whose threads are still blocked in the engine. */
  private final AtomicInteger unanswered = new AtomicInteger();
  /** How many such calls (threads) a host may hold before it is not asked more. */
  static final int MOST_UNANSWERED = 8;

  /** Threads of Docker calls: platform daemons (see ObservedStateCollector on virtual threads). */
  private static final ExecutorService CALLS = Executors.newCachedThreadPool(
      Thread.ofPlatform().daemon().name("docker-call-", 0).factory());

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
    return "host " + name + " (" + shown + ")";
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // Closing an idle HTTP client can only fail to free sockets, which the JVM's exit frees.
    }
  }

  /** docker-java's default configuration, with the process's one mapper ({@link DockerJson}). */
  private static final class SharedMapper implements DockerClientConfig {
    private final DockerClientConfig config;

    SharedMapper(DockerClientConfig config) {
      this.config = config;
    }

    @Override
    public URI getDockerHost() {
      return config.getDockerHost();
    }

    @Override
    public RemoteApiVersion getApiVersion() {
      return config.getApiVersion();
    }

    @Override
    public String getRegistryUsername() {
      return config.getRegistryUsername();
    }

    @Override
    public String getRegistryPassword() {
      return config.getRegistryPassword();
    }

    @Override
    public String getRegistryEmail() {
      return config.getRegistryEmail();
    }

    @Override
    public String getRegistryUrl() {
      return config.getRegistryUrl();
    }

    @Override
    public AuthConfig effectiveAuthConfig(String imageName) {
      return config.effectiveAuthConfig(imageName);
    }

    @Override
    public AuthConfigurations getAuthConfigurations() {
      return config.getAuthConfigurations();
    }

    @Override
    @SuppressWarnings("deprecation") // the interface still declares it; passed through unused
    public SSLConfig getSSLConfig() {
      return config.getSSLConfig();
    }

    @Override
    public ObjectMapper getObjectMapper() {
      return DockerJson.MAPPER;
    }
  }
}
