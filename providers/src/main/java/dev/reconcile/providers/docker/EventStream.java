package dev.reconcile.providers.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.reconcile.provider.ProviderException;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The engine's container events, for as long as someone listens: a stream that ends (dockerd
 * restarted, a tcp:// connection timed out, an SSH tunnel dropped) is subscribed again, with
 * pauses growing from 1 s to 30 s while the engine does not answer. Each time it is back, {@code
 * back} is told, because what happened in the gap was not heard. The engine is asked for anew
 * at each subscription: the client of an engine over SSH is replaced when its connection is, and
 * the old one's stream can only end. A stream that ends soon after it began (within {@link
 * #STEADY}) does not reset the pause, so a stream that cannot stay up is not resubscribed every
 * second, each time with a resync.
 */
final class EventStream implements AutoCloseable {
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);
  /** How long a stream must have lived for its end to count as a new fault (the pause starts over). */
  static final Duration STEADY = Duration.ofSeconds(60);

  /** The engine as it is reached now. */
  interface Engine {
    DockerHost get() throws ProviderException;
  }

  private final Engine engine;
  private final String owner;
  private final Consumer<Event> listener;
  private final Runnable back;
  private volatile boolean closed;
  private volatile @Nullable Closeable current;
  private volatile @Nullable Thread resubscriber;
  private volatile long subscribedAt = System.nanoTime();
  private volatile Duration nextPause = FIRST_PAUSE;

  EventStream(Engine engine, String owner, Consumer<Event> listener, Runnable back) {
    this.engine = engine;
    this.owner = owner;
    this.listener = listener;
    this.back = back;
  }

  void subscribe() throws ProviderException {
    var docker = engine.get();
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
    subscribedAt = System.nanoTime();
    DockerErrors.call(
        docker,
        "listening to the engine's events",
        () -> docker
            .client()
            .eventsCmd()
            .withEventTypeFilter(EventType.CONTAINER)
            .withLabelFilter(Labels.ownedBy(owner).toArray(String[]::new))
            .exec(callback));
  }

  private synchronized void ended(Closeable which) {
    if (closed || which != current || resubscriber != null) {
      return; // closed on purpose, or an older stream's late word
    }
    // A stream that lived long ended by a new fault: start over from the first pause. One that
    // ended soon after it began goes on from where the last pause was.
    var lived = Duration.ofNanos(System.nanoTime() - subscribedAt);
    var first = lived.compareTo(STEADY) >= 0 ? FIRST_PAUSE : nextPause;
    resubscriber = Thread.ofVirtual().name("reconcile-events").start(() -> {
      var pause = first;
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
              nextPause = longer(pause);
              resubscriber = null;
            }
            back.run();
            return;
          } catch (ProviderException | RuntimeException e) {
            pause = longer(pause);
          }
        }
      } catch (InterruptedException e) {
        // Closed.
      }
    });
  }

  private static Duration longer(Duration pause) {
    return pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
        ? LONGEST_PAUSE
        : pause.multipliedBy(2);
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
