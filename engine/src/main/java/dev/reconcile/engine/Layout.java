package dev.reconcile.engine;

import dev.reconcile.host.Host;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.FrontDoor;

import dev.reconcile.model.NginxSettings;
import dev.reconcile.model.Platform;
import dev.reconcile.desired.SecretDigest;
import dev.reconcile.history.SnapshotStore;
import dev.reconcile.store.FileSnapshotStore;
import dev.reconcile.util.AtomicFiles;
import java.security.SecureRandom;
import java.util.HexFormat;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  /**
   * The owner id of a state directory, made on first use (by plan too: two first applies at once
   * must label their containers alike, so exactly one id may ever be made). A file that is there
   * but holds no id (written by hand, or truncated by an older version on a full disk) is an
   * error naming it: guessing a new id would make the tool disown its own containers.
   */
  private static String ownerOf(Path stateDir) {
    var file = stateDir.resolve("owner");
    String text;
    try {
      if (!Files.exists(file)) {
        AtomicFiles.createIfAbsent(file, (UUID.randomUUID() + "\n").getBytes(
            java.nio.charset.StandardCharsets.US_ASCII), null);
      }
      text = Files.readString(file).strip();
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

  /** The history of this state directory, {@code keep} snapshots per environment. */
  public SnapshotStore snapshots(int keep) {
    return new FileSnapshotStore(stateDir, keep);
  }

  /**
   * How secrets are digested here: HMAC under {@code STATE/secret.key} (32 random bytes, mode
   * 0600), made on first use, by plan as well, since plan and apply must digest alike.
   */
  public SecretDigest secrets() {
    var file = stateDir.resolve("secret.key");
    try {
      if (!Files.exists(file)) {
        var key = new byte[32];
        new SecureRandom().nextBytes(key);
        AtomicFiles.createIfAbsent(file, (HexFormat.of().formatHex(key) + "\n").getBytes(
            java.nio.charset.StandardCharsets.US_ASCII), AtomicFiles.PRIVATE);
      }
      var text = Files.readString(file).strip();
      if (!text.matches("[0-9a-f]{64,}")) {
        throw new UncheckedIOException(new IOException(file + " does not hold a key (64 hex digits); "
            + "if it was lost, remove it: a new one is made, and containers with secret env values "
            + "are then replaced once"));
      }
      return SecretDigest.withKey(HexFormat.of().parseHex(text));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file + ": " + e.getMessage(), e);
    }
  }

  private static final java.util.regex.Pattern OWNER =
      java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  public static Layout of(Path specFile, Platform platform) {
    var specDir = specFile.toAbsolutePath().getParent();
    var stateDir = specDir.resolve(platform.stateDir()).normalize();
    return new Layout(specDir, stateDir, sitesDir(platform.nginx(), stateDir, specDir), ownerOf(stateDir));
  }

  /**
   * Where an nginx's site files live: {@code STATE/nginx/sites} for the managed one, its {@code
   * conf_dir} (relative to {@code base}) for the system's.
   */
  public static Path sitesDir(NginxSettings nginx, Path stateDir, Path base) {
    return switch (nginx) {
      case NginxSettings.Managed m -> stateDir.resolve("nginx").resolve("sites");
      case NginxSettings.System s -> base.resolve(s.confDir()).normalize();
    };
  }

  /** The front door of this state directory, on the host its nginx runs on. */
  public FrontDoor frontDoor(Host host, NginxSettings nginx) {
    return new FrontDoor(host, nginx, stateDir, sitesDir);
  }
}
