package dev.reconcile.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.host.StateHome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Says that an apply of one environment is under way: written (atomically) when the apply takes
 * the environment's lock, removed once its snapshot is written. One found by the next holder of
 * the lock means the apply died before it could record what it did (kill -9, a power cut): that
 * holder records an {@code interrupted} snapshot of what runs then, so history never lies.
 * Kept as {@code STATE/journal/PROJECT.ENV.json}.
 */
public final class ApplyJournal {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Who started the apply and when; {@code ended} is when it ended without recording its snapshot
   * (the engine gone when it looked at what runs), null while it runs or when it died; {@code
   * steps}, the last steps it took ({@code RESOURCE: what}), as far as {@link StepLog} wrote them.
   */
  public record Entry(
      String user,
      long pid,
      String started,
      String command,
      @Nullable String ended,
      List<String> steps) {
    /** How many of its last steps an entry keeps. */
    public static final int STEPS_KEPT = 8;

    public Entry {
      // Entries written before steps were recorded have none.
      steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public Entry(String user, long pid, String started, String command) {
      this(user, pid, started, command, null, List.of());
    }

    /** The entry with one more step, the oldest dropped beyond {@link #STEPS_KEPT}. */
    public Entry withStep(String step) {
      var next = new ArrayList<>(steps);
      next.add(step);
      return new Entry(
          user,
          pid,
          started,
          command,
          ended,
          next.subList(Math.max(0, next.size() - STEPS_KEPT), next.size()));
    }

    public String describe() {
      return "the " + command + " by " + user + " (pid " + pid + ") started " + started
          + (ended == null ? "" : " and ended " + ended + " without recording what it did")
          + (steps.isEmpty() ? "" : " (its last step: " + steps.getLast() + ")");
    }
  }

  private final StateHome home;
  private final Path dir;

  public ApplyJournal(Path stateDir) {
    this(new StateHome.Local(stateDir));
  }

  public ApplyJournal(StateHome home) {
    this.home = home;
    this.dir = home.dir().resolve("journal");
  }

  public void begin(String environmentKey, Entry entry) throws IOException {
    home.write(file(environmentKey), JSON.writeValueAsString(entry));
  }

  /**
   * The apply ended but could not record its snapshot: the entry stays (the next apply records
   * what runs then) and says when it ended, so that what starts later is not taken for its own.
   */
  public void endedUnrecorded(String environmentKey, String at) throws IOException {
    var entry = unfinished(environmentKey);
    if (entry.isPresent()) {
      var e = entry.get();
      begin(environmentKey, new Entry(e.user(), e.pid(), e.started(), e.command(), at, e.steps()));
    }
  }

  public void end(String environmentKey) throws IOException {
    home.delete(file(environmentKey));
  }

  /**
   * An entry left by an apply that did not finish. Read defensively: a file that cannot be read
   * still says an apply was under way.
   */
  public Optional<Entry> unfinished(String environmentKey) {
    var file = file(environmentKey);
    try {
      var text = home.read(file);
      return text.isEmpty()
          ? Optional.empty()
          : Optional.of(JSON.readValue(text.get(), Entry.class));
    } catch (IOException | RuntimeException e) {
      return Optional.of(new Entry(
          "unknown", 0, "at an unknown time (" + home.describe(file) + " is unreadable)", "apply"));
    }
  }

  private Path file(String environmentKey) {
    return dir.resolve(environmentKey.replace('/', '.') + ".json");
  }
}
