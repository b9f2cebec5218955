package dev.reconcile.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

  private final Path dir;

  public ApplyJournal(Path stateDir) {
    this.dir = stateDir.resolve("journal");
  }

  public void begin(String environmentKey, Entry entry) throws IOException {
    AtomicFiles.writeString(file(environmentKey), JSON.writeValueAsString(entry));
  }

  public void end(String environmentKey) throws IOException {
    Files.deleteIfExists(file(environmentKey));
    AtomicFiles.syncDirectory(dir);
  }

  /**
   * An entry left by an apply that did not finish. Read defensively: a file that cannot be read
   * still says an apply was under way.
   */
  public Optional<Entry> unfinished(String environmentKey) {
    var file = file(environmentKey);
    try {
      return Optional.of(JSON.readValue(Files.readString(file), Entry.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of(new Entry("unknown", 0, "at an unknown time (" + file + " is unreadable)",
          "apply"));
    }
  }

  private Path file(String environmentKey) {
    return dir.resolve(environmentKey.replace('/', '.') + ".json");
  }
}
