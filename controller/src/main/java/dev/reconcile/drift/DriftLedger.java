package dev.reconcile.drift;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.audit.Event;
import dev.reconcile.audit.Events;
import dev.reconcile.host.StateHome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * When each difference was first found ({@code STATE/drift-seen.json}), so a report can say
 * {@code since} and a notifier can tell new findings from those already sent. Read defensively:
 * a damaged file only loses the times.
 */
public final class DriftLedger {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final StateHome home;
  private final Path file;

  public DriftLedger(Path stateDir) {
    this(new StateHome.Local(stateDir));
  }

  public DriftLedger(StateHome home) {
    this.home = home;
    this.file = home.dir().resolve("drift-seen.json");
  }

  /**
   * What was found, with {@code since}, and which items are new since the last look.
   *
   * @param notKept why the first-seen times could not be written (a read-only account on the
   *     state's server, a full disk): the report is true all the same
   */
  public record Stamped(DriftReport report, List<DriftItem> fresh, Optional<String> notKept) {
    public Stamped(DriftReport report, List<DriftItem> fresh) {
      this(report, fresh, Optional.empty());
    }

    /**
     * One event per environment with new findings: the same drift is recorded and sent once,
     * not at every look.
     */
    public void announce(Events events, Instant now) {
      fresh.stream()
          .collect(Collectors.groupingBy(DriftItem::environment, TreeMap::new, Collectors.toList()))
          .forEach((key, items) -> events.record(new Event(
              now.toString(),
              "drift",
              key,
              "found",
              items.size() + " new: "
                  + String.join("; ", items.stream().map(DriftLedger::describe).toList()),
              Map.of("items", String.valueOf(items.size())))));
    }
  }

  /** An item in one line, for logs and events: never a secret value (details hide them). */
  public static String describe(DriftItem item) {
    return item.driftClass().word() + " " + item.kind() + ": " + item.detail();
  }

  /**
   * {@link #stamp(DriftReport, List, Instant)} over the environments the report compared: not
   * those being applied or on a server not reached, whose earlier findings stay as they were.
   */
  public Stamped stamp(DriftReport report, Instant now) throws IOException {
    return stamp(
        report,
        report.environments().stream()
            .filter(e -> e.state() != EnvironmentStatus.State.APPLYING
                && e.state() != EnvironmentStatus.State.UNREACHABLE)
            .map(EnvironmentStatus::environment)
            .toList(),
        now);
  }

  /**
   * Dates every item by when it was first seen (now, when new), forgets what is no longer found
   * in the environments compared, and saves that.
   *
   * @param compared the environments the report compared: what others had is kept as it was
   */
  public synchronized Stamped stamp(DriftReport report, List<String> compared, Instant now)
      throws IOException {
    var seen = read();
    var kept = new TreeMap<String, String>();
    seen.forEach((id, at) -> {
      if (!compared.contains(environmentOf(id))) {
        kept.put(id, at);
      }
    });
    var items = new ArrayList<DriftItem>();
    var fresh = new ArrayList<DriftItem>();
    for (var item : report.items()) {
      var first = seen.get(key(item));
      if (first == null) {
        first = now.toString();
        fresh.add(item.withSince(Optional.of(first)));
      }
      kept.put(key(item), first);
      items.add(item.withSince(Optional.of(first)));
    }
    if (!kept.equals(seen)) {
      var out = JSON.createObjectNode();
      kept.forEach(out::put);
      try {
        home.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
      } catch (IOException e) {
        // A record, not a gate: drift from an account that may only read the state still reports.
        return new Stamped(
            new DriftReport(items, report.environments()),
            fresh,
            Optional.of(
                "cannot keep first-seen times in " + home.describe(file) + ": " + e.getMessage()));
      }
    }
    return new Stamped(new DriftReport(items, report.environments()), fresh);
  }

  /** The ledger's key: the environment, then the item's id, so a key names its environment. */
  private static String key(DriftItem item) {
    return item.environment() + " " + item.id();
  }

  private static String environmentOf(String key) {
    var space = key.indexOf(' ');
    return space < 0 ? "" : key.substring(0, space);
  }

  private Map<String, String> read() {
    var out = new TreeMap<String, String>();
    try {
      var text = home.read(file);
      if (text.isEmpty()) {
        return out;
      }
      var tree = JSON.readTree(text.get());
      if (tree instanceof ObjectNode object) {
        object.properties().forEach(e -> {
          if (e.getValue().isTextual()) {
            out.put(e.getKey(), e.getValue().asText());
          }
        });
      }
    } catch (IOException | RuntimeException e) {
      // Only the first-seen times are lost; the next look starts them again.
    }
    return out;
  }
}
