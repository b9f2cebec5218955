package dev.reconcile.cli;

import dev.reconcile.execute.Cancellation;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Who a run is for: this process, or a client whose run the controller took over ({@link
 * Handoff}). A run reads its environment, resolves relative paths and hears its signals through
 * this, never through the process it happens to run in.
 *
 * @param env the variables projects.yml and its .env files may name
 * @param cwd what relative paths are relative to ({@code ""}: the process's own directory)
 * @param interrupts what cancels an apply or rollback under way
 * @param handedOff whether the controller runs it for a client
 * @param warnings where what happens beside the run's output goes (a webhook not reached, the
 *     audit log not written), even after the run's view is done with
 */
record Caller(
    Map<String, String> env,
    Path cwd,
    Interrupts interrupts,
    boolean handedOff,
    Consumer<String> warnings) {
  static Caller thisProcess() {
    return new Caller(System.getenv(), Path.of(""), Signals::cancelOn, false, System.err::println);
  }

  /** What cancels a run: the process's SIGTERM and SIGINT, or its client's, sent over. */
  interface Interrupts {
    /** Cancels {@code cancellation} on the first interrupt until closed; {@code said} hears it. */
    Handle cancelOn(Cancellation cancellation, Consumer<String> said);
  }

  /** Stops listening. */
  interface Handle extends AutoCloseable {
    @Override
    void close();
  }
}
