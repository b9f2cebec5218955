package dev.reconcile.providers.host;

import dev.reconcile.host.CommandLine;
import dev.reconcile.host.CommandResult;
import dev.reconcile.host.Host;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs commands on this machine with {@link ProcessBuilder}; never through a shell. */
final class LocalCommandRunner {
  static final int MAX_OUTPUT = Host.MAX_OUTPUT;

  CommandResult run(CommandLine command, Duration timeout) throws IOException {
    var process = new ProcessBuilder(command.argv()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    // Read on a thread of its own, so the timeout below fires even while the command (or a child
    // that inherited its stdout) holds the pipe open and prints nothing.
    var output = new Output(process.getInputStream());
    var reader = Thread.ofPlatform()
        .daemon()
        .name("output of " + command.argv().getFirst())
        .start(output);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        throw new IOException("'" + command + "' did not finish within " + Host.describe(timeout)
            + " and was killed");
      }
      // The command ended; a child it left behind may still hold the pipe: do not wait on it long.
      reader.join(Duration.ofSeconds(1));
      return new CommandResult(command, process.exitValue(), output.text());
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running '" + command + "'");
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Collects at most {@link #MAX_OUTPUT} bytes, draining the rest so the command never blocks. */
  private static final class Output implements Runnable {
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    Output(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      var chunk = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(chunk)) >= 0) {
          synchronized (kept) {
            kept.write(chunk, 0, Math.max(0, Math.min(n, MAX_OUTPUT - kept.size())));
          }
        }
      } catch (IOException e) {
        // The stream closed under us (the process was killed): what was read is kept.
      }
    }

    String text() {
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
