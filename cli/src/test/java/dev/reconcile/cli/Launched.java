package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built tool as a process of its own (bin/reconcile), for what an in-process run cannot
 * show: a crash point's kill -9, a signal, a full disk. Its output goes to a log file.
 */
final class Launched {
  private Launched() {}

  static Process start(Map<String, String> env, Path log, List<String> args) throws IOException {
    var argv = new ArrayList<>(List.of(
        Path.of("..").toAbsolutePath().normalize().resolve("bin/reconcile").toString()));
    argv.addAll(args);
    var command = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
    command.environment().putAll(env);
    return command.start();
  }

  /** What a run killed (kill -9, as the crash matrix does) right after a named step said. */
  record Killed(int exitCode, String log) {}

  static Killed killedAfter(String step, Path log, List<String> args) throws Exception {
    return endedAfter("RECONCILE_TEST_KILL_AFTER", step, log, args);
  }

  /** What a run sent SIGTERM right after a named step did, to its end. */
  static Killed signalledAfter(String step, Path log, List<String> args) throws Exception {
    return endedAfter("RECONCILE_TEST_SIGTERM_AFTER", step, log, args);
  }

  private static Killed endedAfter(String variable, String step, Path log, List<String> args)
      throws Exception {
    var process = start(Map.of(variable, step), log, args);
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the run ended").isTrue();
    return new Killed(process.exitValue(), Files.readString(log));
  }
}
