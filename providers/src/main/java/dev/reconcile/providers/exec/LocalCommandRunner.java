package dev.reconcile.providers.exec;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs commands on this machine with {@link ProcessBuilder}; never through a shell. */
public final class LocalCommandRunner implements CommandRunner {
  @Override
  public CommandResult run(CommandLine command, Duration timeout) throws IOException {
    var process = new ProcessBuilder(command.argv()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    try {
      // Output is small (nginx -t, reload); reading it first cannot dead-lock on a full pipe.
      var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("'" + command + "' did not finish within " + timeout.toSeconds() + " s");
      }
      return new CommandResult(command, process.exitValue(), output);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running '" + command + "'");
    }
  }
}
