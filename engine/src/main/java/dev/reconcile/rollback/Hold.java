package dev.reconcile.rollback;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.host.StateHome;
import java.io.IOException;
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

  public void save(StateHome home) throws IOException {
    home.write(file(home.dir(), project, environment), JSON.writeValueAsString(this));
  }

  public static Optional<Hold> read(StateHome home, String project, String environment)
      throws IOException {
    var text = home.read(file(home.dir(), project, environment));
    return text.isEmpty() ? Optional.empty() : Optional.of(JSON.readValue(text.get(), Hold.class));
  }

  /** Removes the hold; true when there was one. */
  public static boolean release(StateHome home, String project, String environment)
      throws IOException {
    return home.delete(file(home.dir(), project, environment));
  }
}
