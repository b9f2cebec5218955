package dev.reconcile.cli.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.console.Consoles;
import dev.reconcile.provider.ProviderException;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What logs, exec and run say: each line of a container's output marked with the container (and
 * its slot during a switch); each request of the access log as one line for people.
 */
public final class LogsView {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Terminal terminal;
  private int width;

  public LogsView(Terminal terminal) {
    this.terminal = terminal;
  }

  /** The containers about to be read: their labels share one width. */
  public void following(List<Consoles.Running> running) {
    width = running.stream().mapToInt(r -> r.label().length()).max().orElse(0);
    if (running.stream().map(Consoles.Running::id).distinct().count() < running.size()) {
      terminal.err().println(terminal.dim("(a switch is under way: both slots are shown)"));
    }
  }

  public void line(Consoles.Running from, String line) {
    var label = String.format("%-" + Math.max(1, width) + "s", from.label());
    terminal.out().println(terminal.cyan(label) + " | " + line);
  }

  /**
   * A line of the access log: {@code time status method path duration bytes slot}; a line that is
   * not the tool's JSON is shown as it is.
   *
   * @param slots loopback address -> the slot it is, e.g. {@code web/blue}
   */
  public void request(String line, Map<String, String> slots) {
    try {
      var r = JSON.readTree(line);
      if (!r.isObject() || !r.has("status")) {
        terminal.out().println(line);
        return;
      }
      var status = r.path("status").asInt();
      var statusText = String.valueOf(status);
      statusText = status >= 500
          ? terminal.red(statusText)
          : status >= 400 ? terminal.yellow(statusText) : statusText;
      var upstream = r.path("upstream").asText("");
      var slot = upstream.isEmpty() || upstream.equals("-")
          ? "nginx"
          : slots.getOrDefault(upstream, upstream);
      terminal
          .out()
          .println(r.path("time").asText() + " " + statusText + " "
              + r.path("method").asText() + " "
              + r.path("path").asText() + " " + r.path("duration").asText() + "s "
              + r.path("bytes").asText() + "B "
              + r.path("host").asText() + " " + terminal.dim("-> " + slot));
    } catch (IOException e) {
      terminal.out().println(line);
    }
  }

  public void refused(String why) {
    terminal.err().println("reconcile: " + terminal.red(why));
  }

  public void failed(ProviderException e) {
    terminal.err().println("reconcile: " + terminal.red(e.where()) + ": " + e.getMessage());
    if (!e.hint().isEmpty()) {
      terminal.err().println("  " + terminal.dim("hint: " + e.hint()));
    }
  }
}
