package dev.reconcile.store;

import dev.reconcile.history.Snapshot;
import dev.reconcile.history.SnapshotJson;
import dev.reconcile.history.SnapshotStore;
import dev.reconcile.host.StateHome;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Snapshots as {@code STATE/history/PROJECT.ENV/SERIAL.json}: the last {@code keep} that
 * succeeded, and the last {@code keep} of the others, are kept.
 */
public final class FileSnapshotStore implements SnapshotStore {
  private final StateHome home;
  private final Path root;
  private final int keep;

  public FileSnapshotStore(Path stateDir, int keep) {
    this(new StateHome.Local(stateDir), keep);
  }

  public FileSnapshotStore(StateHome home, int keep) {
    this.home = home;
    this.root = home.dir().resolve("history");
    this.keep = keep;
  }

  private String text(Path file) throws IOException {
    return home.read(file).orElseThrow(() -> new NoSuchFileException(home.describe(file)));
  }

  @Override
  public List<Snapshot> list(String project, String environment) throws IOException {
    var out = new ArrayList<Snapshot>();
    for (var file : files(project, environment)) {
      out.add(SnapshotJson.read(text(file)));
    }
    return out;
  }

  @Override
  public Optional<Snapshot> latest(String project, String environment) throws IOException {
    var all = files(project, environment);
    return all.isEmpty() ? Optional.empty() : Optional.of(SnapshotJson.read(text(all.getLast())));
  }

  @Override
  public List<String> environments() throws IOException {
    var out = new ArrayList<String>();
    for (var name : home.list(root)) {
      // PROJECT.ENV: names are [a-z0-9-], so the one dot parts them.
      if (name.matches("[a-z0-9-]+\\.[a-z0-9-]+") && !files(name).isEmpty()) {
        out.add(name.replace('.', '/'));
      }
    }
    return out.stream().sorted().toList();
  }

  @Override
  public void save(Snapshot snapshot) throws IOException {
    var dir = dir(snapshot.project(), snapshot.environment());
    home.write(
        dir.resolve(String.format("%06d.json", snapshot.serial())), SnapshotJson.write(snapshot));
    prune(snapshot.project(), snapshot.environment());
  }

  /**
   * Keeps the newest {@code keep} snapshots of applies that succeeded and, apart from them, the
   * newest {@code keep} of the others (failed, interrupted): a storm of failed heals never pushes
   * out the snapshots a rollback returns to.
   */
  private void prune(String project, String environment) throws IOException {
    var all = files(project, environment);
    var succeeded = 0;
    var others = 0;
    for (var file : all.reversed()) {
      boolean applied;
      try {
        applied = SnapshotJson.read(text(file)).result().equals("applied");
      } catch (IOException e) {
        continue; // unreadable: not counted, not deleted here
      }
      var kept = applied ? ++succeeded <= keep : ++others <= keep;
      if (!kept) {
        home.delete(file);
      }
    }
  }

  private List<Path> files(String project, String environment) throws IOException {
    return files(project + "." + environment);
  }

  private List<Path> files(String dirName) throws IOException {
    var dir = root.resolve(dirName);
    return home.list(dir).stream()
        .filter(name -> name.matches("\\d+\\.json"))
        .sorted()
        .map(dir::resolve)
        .toList();
  }

  private Path dir(String project, String environment) {
    return root.resolve(project + "." + environment);
  }
}
