package dev.reconcile.engine;

import dev.reconcile.model.NginxSettings;
import dev.reconcile.model.Platform;
import dev.reconcile.util.AtomicFiles;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Where the tool keeps things on this machine, resolved against the spec file's directory.
 *
 * @param stateDir {@code platform.state_dir}
 * @param sitesDir where site files live: {@code STATE/nginx/sites} for the managed nginx, {@code
 *     conf_dir} for the system's
 * @param owner the id of this state directory ({@code STATE/owner}), labelled on everything it
 *     creates, so that two projects.yml on one engine never touch each other's containers; a
 *     new one until the first apply writes it
 */
public record Layout(Path specDir, Path stateDir, Path sitesDir, String owner) {

  /** Writes the owner id, if it is not there yet: before the first change is made. */
  public void persistOwner() throws IOException {
    var file = stateDir.resolve("owner");
    if (!Files.exists(file)) {
      AtomicFiles.writeString(file, owner + "\n");
    }
  }

  /**
   * The owner id of a state directory; a new one when it has none yet. A file that is there but
   * holds no id (written by hand, or truncated by an older version on a full disk) is an error
   * naming it: guessing a new id would make the tool disown its own containers.
   */
  private static String ownerOf(Path stateDir) {
    var file = stateDir.resolve("owner");
    String text;
    try {
      text = Files.readString(file).strip();
    } catch (NoSuchFileException e) {
      return UUID.randomUUID().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!OWNER.matcher(text).matches()) {
      throw new UncheckedIOException(new IOException(file + " does not hold an owner id (a UUID; it "
          + "holds " + (text.isEmpty() ? "nothing" : "'" + Texts.shown(text.length() > 40 ? text.substring(0, 40) : text) + "'")
          + "); the id is on every container this state directory made: docker ps --format "
          + "'{{.Label \"reconcile.owner\"}}' --filter label=reconcile.managed=true shows it; write it back"));
    }
    return text;
  }

  private static final java.util.regex.Pattern OWNER =
      java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  public static Layout of(Path specFile, Platform platform) {
    var specDir = specFile.toAbsolutePath().getParent();
    var stateDir = specDir.resolve(platform.stateDir()).normalize();
    var sitesDir = switch (platform.nginx()) {
      case NginxSettings.Managed m -> stateDir.resolve("nginx").resolve("sites");
      case NginxSettings.System s -> specDir.resolve(s.confDir()).normalize();
    };
    return new Layout(specDir, stateDir, sitesDir, ownerOf(stateDir));
  }
}
