package dev.reconcile.providers.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.reconcile.provider.ProviderException;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The engine's container events, for as long as someone listens: a stream that ends (dockerd
 * restarted, a tcp:// connection timed out, an SSH tunnel dropped) is subscribed again, with
 * pauses growing from 1 s to 30 s while the engine does not answer. Each time it is back, {@code
 * back} is told, because what happened in the gap was not heard.
 */
final class EventStream implements AutoCloseable {
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

  private final DockerHost docker;
  private final String owner;
  private final Consumer<Event> listener;
  private final Runnable back;
  private volatile boolean closed;
  private volatile Closeable current;
  private volatile Thread resubscriber;

  EventStream(DockerHost docker, String owner, Consumer<Event> listener, Runnable back) {
    this.docker = docker;
    this.owner = owner;
    this.listener = listener;
    this.back = back;
  }

  void subscribe() throws ProviderException {
    var callback = new ResultCallback.Adapter<Event>() {
      @Override
      public void onNext(Event event) {
        listener.accept(event);
      }

      @Override
      public void onComplete() {
        super.onComplete();
        ended(this);
      }

      @Override
      public void onError(Throwable throwable) {
        super.onError(throwable);
        ended(this);
      }
    };
    current = callback;
    DockerErrors.call(docker, "listening to the engine's events", () -> docker.client().eventsCmd()
        .withEventTypeFilter(EventType.CONTAINER)
        .withLabelFilter(Labels.ownedBy(owner).toArray(String[]::new)).exec(callback));
  }

  private synchronized void ended(Closeable which) {
    if (closed || which != current || resubscriber != null) {
      return; // closed on purpose, or an older stream's late word
    }
    resubscriber = Thread.ofVirtual().name("reconcile-events-" + docker.describe()).start(() -> {
      var pause = FIRST_PAUSE;
      try {
        while (!closed) {
          Thread.sleep(pause);
          try {
            synchronized (this) {
              if (closed) {
                return;
              }
              // Still the resubscriber while subscribing: a failed attempt's own end is ignored.
              subscribe();
              resubscriber = null;
            }
            back.run();
            return;
          } catch (ProviderException | RuntimeException e) {
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
          }
        }
      } catch (InterruptedException e) {
        // Closed.
      }
    });
  }

  @Override
  public void close() {
    closed = true;
    Thread waiting;
    synchronized (this) {
      waiting = resubscriber;
    }
    if (waiting != null) {
      waiting.interrupt();
    }
    try {
      var stream = current;
      if (stream != null) {
        stream.close();
      }
    } catch (IOException e) {
      // Stopping anyway.
    }
  }
}
