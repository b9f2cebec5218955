package dev.reconcile.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.host.StateHome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a volume restore of an environment has done so far, written before each step: a restore
 * killed at any point leaves it behind, and until the restore is run again (it resumes) nothing
 * may start the environment's containers on a volume that may be half written.
 * {@code restores/PROJECT.ENV.json} in the state home, so a restore killed on one machine is seen,
 * and resumed, from any other.
 */
public final class RestoreJournal {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where a volume stands. */
  public enum Phase {
    /** Being written into its staging volume; the volume itself is untouched. */
    STAGING,
    /** Complete and checked in its staging volume; the volume itself is untouched. */
    STAGED,
    /** Being replaced by the staging volume's files: half written until done. */
    SWAPPING,
    DONE
  }

  /**
   * @param backup the backup being restored
   * @param volumes volume name -> how far it got
   * @param safetyBackup the backup taken of what the restore replaces, once taken
   */
  public record Entry(String backup, Map<String, Phase> volumes, Optional<String> safetyBackup) {
    public Entry {
      volumes = Collections.unmodifiableMap(new LinkedHashMap<>(volumes));
    }

    /** Whether a volume may be half written: its writers must not run. */
    public boolean halfWritten() {
      return volumes.containsValue(Phase.SWAPPING);
    }

    public Entry with(String volume, Phase phase) {
      var next = new LinkedHashMap<>(volumes);
      next.put(volume, phase);
      return new Entry(backup, next, safetyBackup);
    }

    public Entry withSafetyBackup(String id) {
      return new Entry(backup, volumes, Optional.of(id));
    }

    /** For people: which volume, where it stopped, what to run. */
    public String describe(String environmentKey) {
      var parts = environmentKey.split("/");
      var half = volumes.entrySet().stream()
          .filter(e -> e.getValue() == Phase.SWAPPING)
          .map(Map.Entry::getKey)
          .toList();
      return "a restore of backup " + backup + " into " + environmentKey + " did not finish"
          + (half.isEmpty() ? "" : ": volume " + String.join(", ", half) + " may be half written")
          + "; run 'reconcile backup restore " + backup + " --project " + parts[0] + " --env "
          + parts[1]
          + "' again (it resumes)"
          + safetyBackup.map(id -> "; what it replaces is in backup " + id).orElse("");
    }
  }

  private final StateHome home;
  private final Path dir;

  public RestoreJournal(StateHome home) {
    this.home = home;
    this.dir = home.dir().resolve("restores");
  }

  private Path file(String environmentKey) {
    return dir.resolve(environmentKey.replace('/', '.') + ".json");
  }

  public void write(String environmentKey, Entry entry) throws IOException {
    var json = JSON.createObjectNode().put("backup", entry.backup());
    var volumes = json.putObject("volumes");
    entry
        .volumes()
        .forEach((name, phase) -> volumes.put(name, phase.name().toLowerCase(Locale.ROOT)));
    entry.safetyBackup().ifPresent(id -> json.put("safety_backup", id));
    home.write(
        file(environmentKey), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
  }

  /**
   * The unfinished restore of an environment. A journal that cannot be read counts as one (it
   * may have been half written by a full disk): the containers stay stopped rather than run on
   * half a volume.
   */
  public Optional<Entry> unfinished(String environmentKey) throws IOException {
    var read = home.read(file(environmentKey));
    if (read.isEmpty()) {
      return Optional.empty();
    }
    var text = read.get();
    try {
      var json = (ObjectNode) JSON.readTree(text);
      var volumes = new LinkedHashMap<String, Phase>();
      json.path("volumes")
          .properties()
          .forEach(e -> volumes.put(
              e.getKey(), Phase.valueOf(e.getValue().asText().toUpperCase(Locale.ROOT))));
      return Optional.of(new Entry(
          json.path("backup").asText("?"),
          volumes,
          json.has("safety_backup")
              ? Optional.of(json.get("safety_backup").asText())
              : Optional.empty()));
    } catch (IOException | RuntimeException e) {
      return Optional.of(new Entry(
          "?",
          Map.of(
              "(unreadable journal " + home.describe(file(environmentKey)) + ")", Phase.SWAPPING),
          Optional.empty()));
    }
  }

  public void finish(String environmentKey) throws IOException {
    home.delete(file(environmentKey));
  }
}
