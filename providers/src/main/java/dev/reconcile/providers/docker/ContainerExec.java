package dev.reconcile.providers.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.reconcile.provider.ProviderException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Runs an argv inside a running container (docker exec): its standard output streamed out, or a
 * file given as its standard input. Input travels by the archive API into {@code /tmp} and a
 * fixed {@code sh} line redirects it, rather than over a hijacked stdin, which behaves the same
 * on every transport (a local socket, an engine over SSH).
 */
final class ContainerExec {
  /** Standard error kept for the message of a failed command. */
  private static final int STDERR_KEPT = 4096;

  private ContainerExec() {}

  static void out(
      DockerHost host, String container, List<String> argv, OutputStream out, Duration stall)
      throws ProviderException {
    run(
        host,
        container,
        argv,
        out,
        "running " + argv.getFirst() + " in container " + short12(container),
        stall);
  }

  static void in(DockerHost host, String container, List<String> argv, InputStream input, long size)
      throws ProviderException {
    var file = "/tmp/reconcile-input-" + UUID.randomUUID();
    var what = "running " + argv.getFirst() + " in container " + short12(container);
    copyIn(host, container, file, input, size);
    try {
      // "$0" is the input file; the argv follows as "$@", never parsed by the shell.
      var wrapped = new ArrayList<String>(List.of("sh", "-c", "exec \"$@\" < \"$0\"", file));
      wrapped.addAll(argv);
      run(host, container, wrapped, OutputStream.nullOutputStream(), what, null);
    } finally {
      try {
        run(
            host,
            container,
            List.of("rm", "-f", file),
            OutputStream.nullOutputStream(),
            "removing " + file,
            null);
      } catch (ProviderException e) {
        // Left in the container's /tmp; it goes with the container.
      }
    }
  }

  private static void copyIn(
      DockerHost host, String container, String file, InputStream input, long size)
      throws ProviderException {
    var name = file.substring("/tmp/".length());
    try (var pipeIn = new PipedInputStream(64 * 1024)) {
      var pipeOut = new PipedOutputStream(pipeIn);
      var writer = Thread.ofVirtual().start(() -> {
        try (var tar = new TarArchiveOutputStream(pipeOut)) {
          var entry = new TarArchiveEntry(name);
          entry.setSize(size);
          entry.setMode(0600);
          tar.putArchiveEntry(entry);
          input.transferTo(tar);
          tar.closeArchiveEntry();
        } catch (IOException e) {
          // The reading side sees the pipe break and the copy fails with its own message.
        }
      });
      DockerErrors.call(host, "copying the input into container " + short12(container), () -> {
        host.client()
            .copyArchiveToContainerCmd(container)
            .withRemotePath("/tmp")
            .withTarInputStream(pipeIn)
            .exec();
        return null;
      });
      writer.join();
    } catch (IOException e) {
      throw new ProviderException.Transient(
          host.describe(),
          "copying the input into container " + short12(container) + " failed: " + e.getMessage(),
          "",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException.Terminal(
          host.describe(), "copying the input was interrupted", "", e);
    }
  }

  /** @param stall how long it may be silent (no output at all) before it is given up; null: for ever */
  private static void run(
      DockerHost host,
      String container,
      List<String> argv,
      OutputStream out,
      String what,
      @Nullable Duration stall)
      throws ProviderException {
    var exec = DockerErrors.call(
        host,
        what,
        () -> host.client()
            .execCreateCmd(container)
            .withCmd(argv.toArray(String[]::new))
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec());
    var stderr = new ByteArrayOutputStream();
    var callback = new ResultCallback.Adapter<Frame>() {
      @Nullable
      IOException writeFailed;

      volatile long lastFrame = System.nanoTime();
      volatile boolean stalled;
      /** docker-java's timed awaitCompletion closes the stream: a latch of our own is polled instead. */
      final CountDownLatch ended = new CountDownLatch(1);

      @Override
      public void onComplete() {
        super.onComplete();
        ended.countDown();
      }

      @Override
      public void onError(Throwable throwable) {
        super.onError(throwable);
        ended.countDown();
      }

      @Override
      public void close() throws IOException {
        super.close();
        ended.countDown();
      }

      @Override
      public void onNext(Frame frame) {
        lastFrame = System.nanoTime();
        if (writeFailed != null) {
          return;
        }
        try {
          if (frame.getStreamType() == StreamType.STDOUT
              || frame.getStreamType() == StreamType.RAW) {
            out.write(frame.getPayload());
          } else if (frame.getStreamType() == StreamType.STDERR && stderr.size() < STDERR_KEPT) {
            stderr.write(frame.getPayload());
          }
        } catch (IOException e) {
          writeFailed = e;
          try {
            close();
          } catch (IOException ignored) {
            // Closing only stops the stream; the write's failure is what is reported.
          }
        }
      }
    };
    try {
      DockerErrors.awaitingDone(host, what, () -> {
        host.client().execStartCmd(exec.getId()).exec(callback);
        if (stall == null) {
          callback.awaitCompletion();
          return;
        }
        // A deadline on progress, not on the whole: silence for `stall` ends it.
        while (!callback.ended.await(Math.min(1000, stall.toMillis()), TimeUnit.MILLISECONDS)) {
          if (System.nanoTime() - callback.lastFrame > stall.toNanos()) {
            callback.stalled = true;
            try {
              callback.close();
            } catch (IOException e) {
              // Closing only stops the stream; the silence is what is reported.
            }
          }
        }
        if (!callback.stalled) {
          callback.awaitCompletion(); // its first error, if any, is thrown here
        }
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException.Terminal(host.describe(), what + " was interrupted", "", e);
    }
    if (callback.stalled) {
      throw new ProviderException.Transient(
          host.describe(),
          what + " gave no output for " + Objects.requireNonNull(stall).toSeconds()
              + " s (waiting on a lock?); given up, and whatever held this run's locks is released",
          "find what "
              + "blocks it in the container (for PostgreSQL: pg_stat_activity); the command may still run there "
              + "until it ends",
          null);
    }
    if (callback.writeFailed != null) {
      throw new ProviderException.Transient(
          host.describe(),
          what + ": writing its output failed: " + callback.writeFailed.getMessage(),
          "check the free space where the backup is written",
          callback.writeFailed);
    }
    var code = DockerErrors.call(
        host, what, () -> host.client().inspectExecCmd(exec.getId()).exec().getExitCodeLong());
    if (code == null || code != 0) {
      var said = stderr.toString(StandardCharsets.UTF_8).strip();
      throw new ProviderException.Terminal(
          host.describe(),
          what + " failed (exit " + code + ")" + (said.isEmpty() ? "" : ": " + lastLines(said)),
          code != null && code == 127
              ? "the container has no " + argv.getFirst()
                  + "; the dump runs inside it with its own tools"
              : "",
          null);
    }
  }

  private static String lastLines(String text) {
    var lines = text.lines().toList();
    return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
  }

  private static String short12(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
