package dev.reconcile.engine;

import dev.reconcile.model.NginxSettings;
import dev.reconcile.model.Platform;
import java.io.IOException;
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
      Files.createDirectories(stateDir);
      Files.writeString(file, owner + "\n");
    }
  }

  private static String ownerOf(Path stateDir) {
    try {
      var text = Files.readString(stateDir.resolve("owner")).strip();
      if (!text.isEmpty()) {
        return text;
      }
    } catch (IOException e) {
      // No owner yet: nothing was applied from this state directory.
    }
    return UUID.randomUUID().toString();
  }

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
