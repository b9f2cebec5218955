package dev.reconcile.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.probe.HttpProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Sends events to platform.notify.webhook: each in its own thread, with a timeout per attempt
 * and a few retries with growing pauses, so a slow or dead endpoint never holds up or fails a
 * deploy. {@link #flush} waits, boundedly, for what is under way (a CLI run before it exits).
 * The URL may hold a token: it is never printed, only its host.
 */
public final class Webhook implements Events {
  /** How the body is shaped. */
  public enum Format {
    /** {@code {"text": "..."}}: what Slack, Mattermost and Rocket.Chat incoming webhooks read. */
    SLACK,
    /** The event itself, as in the audit log. */
    JSON
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final Format format;
  private final Predicate<Event> wanted;
  private final HttpClient client;
  private final Duration timeout;
  private final List<Duration> pauses;
  private final List<CompletableFuture<Void>> underWay = new ArrayList<>();
  private final Consumer<String> warnings;

  /**
   * @param wanted which events are sent (all but routine ones, typically)
   * @param pauses the pause before each retry; its size is the number of retries
   */
  public Webhook(
      URI url, Format format, Predicate<Event> wanted, Duration timeout, List<Duration> pauses) {
    this(url, format, wanted, timeout, pauses, System.err::println);
  }

  /** @param warnings hears that an event could not be sent (whoever the run is for) */
  public Webhook(
      URI url,
      Format format,
      Predicate<Event> wanted,
      Duration timeout,
      List<Duration> pauses,
      Consumer<String> warnings) {
    this.warnings = warnings;
    this.url = url;
    this.format = format;
    this.wanted = wanted;
    this.timeout = timeout;
    this.pauses = List.copyOf(pauses);
    // Before this process's first HttpClient: probes of a deploy that follows need the Host header.
    HttpProbe.allowHostHeader();
    this.client = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public static Webhook standard(URI url, Format format, Consumer<String> warnings) {
    return new Webhook(
        url,
        format,
        e -> true,
        Duration.ofSeconds(5),
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(16)),
        warnings);
  }

  @Override
  public void record(Event event) {
    if (!wanted.test(event)) {
      return;
    }
    var body = body(event);
    var future = CompletableFuture.runAsync(
        () -> send(body), runnable -> Thread.ofVirtual().start(runnable));
    synchronized (underWay) {
      underWay.removeIf(CompletableFuture::isDone);
      underWay.add(future);
    }
  }

  /** Waits at most {@code limit} for the sends under way; what is not sent by then is dropped. */
  public void flush(Duration limit) {
    CompletableFuture<?>[] all;
    synchronized (underWay) {
      all = underWay.toArray(CompletableFuture[]::new);
    }
    try {
      CompletableFuture.allOf(all).get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // Late or failed: said by send, never a failure of the run.
    }
  }

  String body(Event event) {
    try {
      return switch (format) {
        case SLACK -> JSON.writeValueAsString(JSON.createObjectNode().put("text", text(event)));
        case JSON -> JSON.writeValueAsString(event.toJson());
      };
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(Event event) {
    var mark = switch (event.outcome()) {
      case "applied", "taken", "healed", "in-sync" -> ":white_check_mark:";
      case "found" -> ":warning:";
      default -> ":x:";
    };
    return mark + " reconcile " + event.type()
        + (event.environment().isEmpty() ? "" : " " + event.environment()) + ": " + event.summary();
  }

  private void send(String body) {
    var request = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", "reconcile")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    String last = "";
    for (int attempt = 0; attempt <= pauses.size(); attempt++) {
      if (attempt > 0) {
        try {
          Thread.sleep(pauses.get(attempt - 1));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      try {
        var response = client.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 == 2) {
          return;
        }
        last = "answered " + response.statusCode();
        if (response.statusCode() / 100 == 4 && response.statusCode() != 429) {
          break;
        }
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    // The host only: the path of a webhook URL is its secret.
    warnings.accept(
        "reconcile: warning: the webhook at " + url.getHost() + " was not notified (" + last + ")");
  }
}
