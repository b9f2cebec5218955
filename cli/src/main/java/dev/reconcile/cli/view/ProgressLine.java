package dev.reconcile.cli.view;

import dev.reconcile.resource.ResourceId;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Where the slow steps of an apply stand. On a terminal: one last line, redrawn in place, that
 * lines of finished steps push down. Off a terminal (CI logs, pipes): no redrawing, only a line
 * for a step that has been slow for {@link #QUIET} since it began or was last reported.
 * Not thread-safe: the view calls it under its own lock.
 */
final class ProgressLine {
  static final Duration QUIET = Duration.ofSeconds(5);
  static final Duration REDRAW = Duration.ofMillis(100);
  private static final String CLEAR = "\r\u001b[K";

  private final Terminal terminal;
  private final LongSupplier nanoClock;
  private final int width;
  private final Map<ResourceId, String> active = new LinkedHashMap<>();
  private final Map<ResourceId, Long> reported = new HashMap<>();
  private boolean drawn;
  private long lastDrawn;

  ProgressLine(Terminal terminal, LongSupplier nanoClock, int width) {
    this.terminal = terminal;
    this.nanoClock = nanoClock;
    this.width = width;
  }

  static ProgressLine of(Terminal terminal) {
    return new ProgressLine(terminal, System::nanoTime, columns());
  }

  void update(ResourceId id, String what) {
    var now = nanoClock.getAsLong();
    if (terminal.interactive()) {
      active.put(id, what);
      // A pull reports many times a second; ten redraws a second are enough to read.
      if (now - lastDrawn >= REDRAW.toNanos() || !drawn) {
        draw();
      }
      return;
    }
    var since = reported.putIfAbsent(id, now);
    if (since != null && now - since >= QUIET.toNanos()) {
      terminal.out().println("  " + id + ": " + what);
      terminal.out().flush();
      reported.put(id, now);
    }
  }

  /** The resource's slow step is over: its next line is a durable one. */
  void done(ResourceId id) {
    active.remove(id);
    reported.remove(id);
  }

  /** Takes the line away, so that a durable line can be printed in its place. */
  void clear() {
    if (drawn) {
      terminal.out().print(CLEAR);
      terminal.out().flush();
      drawn = false;
    }
  }

  /** Draws the line again after a durable line, if a slow step still runs. */
  void draw() {
    if (!terminal.interactive() || active.isEmpty()) {
      clear();
      return;
    }
    var text = new StringBuilder("  ... ");
    active.forEach((id, what) ->
        text.append(text.length() > 6 ? "  |  " : "").append(id).append(": ").append(what));
    var line = text.length() > width - 1
        ? text.substring(0, Math.max(0, width - 2)) + "…"
        : text.toString();
    terminal.out().print(CLEAR + terminal.dim(line));
    terminal.out().flush();
    drawn = true;
    lastDrawn = nanoClock.getAsLong();
  }

  private static int columns() {
    try {
      var columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100"));
      return columns >= 20 ? columns : 100;
    } catch (NumberFormatException e) {
      return 100;
    }
  }
}
