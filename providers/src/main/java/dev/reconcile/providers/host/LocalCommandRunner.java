package dev.reconcile.providers.host;

import dev.reconcile.host.BoundedOutput;
import dev.reconcile.host.CommandLine;
import dev.reconcile.host.CommandResult;
import dev.reconcile.host.Host;
import java.io.IOException;
import java.io.InterruptedIOException;
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
    var output = new BoundedOutput(process.getInputStream());
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
}
