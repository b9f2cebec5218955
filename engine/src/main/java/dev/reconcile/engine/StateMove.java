package dev.reconcile.engine;

import dev.reconcile.host.StateHome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves the state an earlier version kept in a checkout ({@code .reconcile/} beside projects.yml)
 * to its home on a server: the owner id first-come (so the containers it labelled stay owned),
 * then the secret key (so no secret env value reads as changed), then history, holds, journal,
 * drift times and the audit log. Files the home already has are kept, never overwritten; the
 * checkout's files stay where they were, so nothing is lost if the move is cut short (run again:
 * it goes on where it stopped).
 */
final class StateMove {
  /** What is moved besides the owner id and key: folders of files, then single files. */
  private static final List<String> FOLDERS = List.of("holds", "journal");

  private static final List<String> FILES = List.of("drift-seen.json", "audit.log");

  private StateMove() {}

  /**
   * @param owner the owner id the run planned with (the checkout's, or a new one)
   * @param key the secret key the run planned with
   * @return what was moved, for the apply's output; empty when the checkout had no state
   */
  static List<String> move(StateHome from, StateHome to, String owner, String key)
      throws IOException {
    var moved = new ArrayList<String>();
    var hadState = from.read(from.dir().resolve("owner")).isPresent();
    var snapshots = 0;
    var history = from.dir().resolve("history");
    for (var environment : from.list(history)) {
      for (var name : from.list(history.resolve(environment))) {
        if (name.matches("\\d+\\.json")
            && copy(from, to, history.resolve(environment).resolve(name), false)) {
          snapshots++;
        }
      }
    }
    if (snapshots > 0) {
      moved.add(snapshots + " snapshot(s)");
    }
    for (var folder : FOLDERS) {
      for (var name : from.list(from.dir().resolve(folder))) {
        if (name.endsWith(".json")
            && copy(from, to, from.dir().resolve(folder).resolve(name), false)) {
          moved.add(folder + "/" + name);
        }
      }
    }
    for (var file : FILES) {
      if (copy(from, to, from.dir().resolve(file), false)) {
        moved.add(file);
      }
    }
    // The key before the owner id: once the owner is there, the home counts as made.
    to.createIfAbsent(to.dir().resolve("secret.key"), key.endsWith("\n") ? key : key + "\n", true);
    to.createIfAbsent(to.dir().resolve("owner"), owner + "\n", false);
    if (hadState) {
      moved.addFirst("the owner id and secret key");
      from.write(
          from.dir().resolve("MOVED"),
          "The state of this folder was moved to " + to.describe(to.dir())
              + " by reconcile; the files here are no longer read and may be deleted.\n");
    }
    return moved;
  }

  /** Copies a file the home does not have yet; true when it did. */
  private static boolean copy(StateHome from, StateHome to, Path file, boolean secret)
      throws IOException {
    var text = from.read(file);
    if (text.isEmpty()) {
      return false;
    }
    var target = to.dir().resolve(from.dir().relativize(file));
    return to.createIfAbsent(target, text.get(), secret);
  }
}
