package dev.reconcile.providers.docker;

import dev.reconcile.provider.ProviderException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Questions to one engine asked at once, each on a virtual thread of its own: each waits on its
 * own round trip, so asked one after another they add up (more so on a busy engine or over SSH).
 * Closing waits for every question asked.
 */
final class AtOnce implements AutoCloseable {
  private final DockerHost host;
  private final ExecutorService asking = Executors.newVirtualThreadPerTaskExecutor();

  AtOnce(DockerHost host) {
    this.host = host;
  }

  <T> Future<T> ask(Callable<T> question) {
    return asking.submit(question);
  }

  /** The answer to one question, or its failure as the question raised it. */
  <T> T answer(Future<T> question) throws ProviderException {
    try {
      return question.get();
    } catch (ExecutionException e) {
      var cause = e.getCause();
      if (cause instanceof ProviderException fault) {
        throw fault;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException.Transient(
          host.describe(), "asking the engine was interrupted", "", e);
    }
  }

  @Override
  public void close() {
    asking.close();
  }
}
