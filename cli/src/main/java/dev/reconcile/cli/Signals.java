package dev.reconcile.cli;

import dev.reconcile.execute.Cancellation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT while an apply or rollback runs: the first cancels it (it stops at its next
 * step, rolls back what it started, records the snapshot, releases its locks, exits non-zero); a
 * second ends the process at once. {@code timeout}, CI runners and systemd send SIGTERM.
 */
final class Signals implements AutoCloseable {
  private static final String[] NAMES = {"TERM", "INT"};
  private final List<Runnable> restore = new ArrayList<>();

  private Signals() {}

  /** Installs the handlers until closed; {@code said} hears about the first signal. */
  static Signals cancelOn(Cancellation cancellation, Consumer<String> said) {
    var signals = new Signals();
    for (var name : NAMES) {
      var signal = new Signal(name);
      SignalHandler previous;
      try {
        previous = Signal.handle(signal, s -> {
          if (cancellation.reason().isPresent()) {
            Runtime.getRuntime().halt(128 + s.getNumber());
          }
          cancellation.cancel("stopped by SIG" + s.getName());
          said.accept("SIG" + s.getName());
        });
      } catch (IllegalArgumentException e) {
        continue; // The JVM runs with -Xrs or the signal is reserved: the default stays.
      }
      signals.restore.add(() -> Signal.handle(signal, previous));
    }
    return signals;
  }

  @Override
  public void close() {
    restore.forEach(Runnable::run);
  }
}
