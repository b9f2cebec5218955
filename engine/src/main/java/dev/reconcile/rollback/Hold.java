package dev.reconcile.rollback;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A project environment held at a snapshot after a rollback: apply leaves it alone (and plan
 * says what it holds back) until {@code apply --release}, so a rollback is never undone by the
 * next apply. Kept as {@code STATE/holds/PROJECT.ENV.json}.
 */
public record Hold(String project, String environment, int serial, String by, String since) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public String environmentKey() {
    return project + "/" + environment;
  }

  public static Path file(Path stateDir, String project, String environment) {
    return stateDir.resolve("holds").resolve(project + "." + environment + ".json");
  }

  public void save(Path stateDir) throws IOException {
    AtomicFiles.writeString(file(stateDir, project, environment), JSON.writeValueAsString(this));
  }

  public static Optional<Hold> read(Path stateDir, String project, String environment) throws IOException {
    try {
      return Optional.of(JSON.readValue(Files.readString(file(stateDir, project, environment)), Hold.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Removes the hold; true when there was one. */
  public static boolean release(Path stateDir, String project, String environment) throws IOException {
    return Files.deleteIfExists(file(stateDir, project, environment));
  }
}
