package dev.reconcile.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.host.StateHome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Says that an apply of one environment is under way: written (atomically) when the apply takes
 * the environment's lock, removed once its snapshot is written. One found by the next holder of
 * the lock means the apply died before it could record what it did (kill -9, a power cut): that
 * holder records an {@code interrupted} snapshot of what runs then, so history never lies.
 * Kept as {@code STATE/journal/PROJECT.ENV.json}.
 */
public final class ApplyJournal {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Who started the apply and when. */
  public record Entry(String user, long pid, String started, String command) {
    public String describe() {
      return "the " + command + " by " + user + " (pid " + pid + ") started " + started;
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
      return text.isEmpty() ? Optional.empty() : Optional.of(JSON.readValue(text.get(), Entry.class));
    } catch (IOException | RuntimeException e) {
      return Optional.of(new Entry("unknown", 0, "at an unknown time (" + home.describe(file)
          + " is unreadable)", "apply"));
    }
  }

  private Path file(String environmentKey) {
    return dir.resolve(environmentKey.replace('/', '.') + ".json");
  }
}
