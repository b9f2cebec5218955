package dev.reconcile.engine;

import dev.reconcile.model.NginxSettings;
import dev.reconcile.model.Platform;
import java.nio.file.Path;

/**
 * Where the tool keeps things on this machine, resolved against the spec file's directory.
 *
 * @param stateDir {@code platform.state_dir}
 * @param sitesDir where site files live: {@code STATE/nginx/sites} for the managed nginx, {@code
 *     conf_dir} for the system's
 */
public record Layout(Path specDir, Path stateDir, Path sitesDir) {

  public static Layout of(Path specFile, Platform platform) {
    var specDir = specFile.toAbsolutePath().getParent();
    var stateDir = specDir.resolve(platform.stateDir()).normalize();
    var sitesDir = switch (platform.nginx()) {
      case NginxSettings.Managed m -> stateDir.resolve("nginx").resolve("sites");
      case NginxSettings.System s -> specDir.resolve(s.confDir()).normalize();
    };
    return new Layout(specDir, stateDir, sitesDir);
  }
}
