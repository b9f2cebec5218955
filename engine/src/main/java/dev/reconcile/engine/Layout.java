package dev.reconcile.engine;

import dev.reconcile.desired.SecretDigest;
import dev.reconcile.history.SnapshotStore;
import dev.reconcile.host.Host;
import dev.reconcile.host.StateHome;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.model.Platform;
import dev.reconcile.provider.FrontDoor;
import dev.reconcile.provider.HostResolver;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.store.FileSnapshotStore;
import dev.reconcile.util.AtomicFiles;
import dev.reconcile.util.Checks;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where the tool keeps things: the checkout's folder ({@code platform.state_dir}, resolved against
 * the spec file's directory: this machine's managed nginx, backups, caches) and the state home,
 * where everything the applies of the fleet must agree on lives (see {@link StateHome}). The home
 * is the checkout's folder while the fleet has only this machine; once it declares a server over
 * SSH, it is the {@code state_dir} of the first such server, so every checkout that
 * reaches the server sees the same owner id, secret key, history, locks and journal.
 *
 * <p>The owner id ({@code owner}) is labelled on everything an apply creates, so that two
 * projects.yml with different homes never touch each other's containers.
 */
public final class Layout {
  private final Path specDir;
  private final Path stateDir;
  private final Path sitesDir;
  private final StateHome home;
  private final String owner;
  /** True while the home holds no owner yet: made (or moved from the checkout) by the first apply. */
  private final boolean unsettled;

  private @Nullable SecretDigest secrets;

  private Layout(
      Path specDir, Path stateDir, Path sitesDir, StateHome home, String owner, boolean unsettled) {
    this.specDir = specDir;
    this.stateDir = stateDir;
    this.sitesDir = sitesDir;
    this.home = home;
    this.owner = owner;
    this.unsettled = unsettled;
  }

  /** A layout whose state lives in {@code stateDir} on this machine (tests). */
  public Layout(Path specDir, Path stateDir, Path sitesDir, String owner) {
    this(specDir, stateDir, sitesDir, new StateHome.Local(stateDir), owner, false);
  }

  public Path specDir() {
    return specDir;
  }

  /** The checkout's state folder on this machine. */
  public Path stateDir() {
    return stateDir;
  }

  public Path sitesDir() {
    return sitesDir;
  }

  /** Where the state the fleet's applies agree on lives. */
  public StateHome home() {
    return home;
  }

  public String owner() {
    return owner;
  }

  /**
   * The owner id of a home on this machine, made on first use (by plan too: two first applies at
   * once must label their containers alike, so exactly one id may ever be made). A file that is
   * there but holds no id (written by hand, or truncated on a full disk) is an error naming it:
   * guessing a new id would make the tool disown its own containers.
   */
  private static @Nullable String ownerOf(StateHome home, boolean create) {
    var file = home.dir().resolve("owner");
    try {
      var text = home.read(file);
      if (text.isEmpty() && create) {
        home.createIfAbsent(file, UUID.randomUUID() + "\n", false);
        text = home.read(file);
      }
      return text.isEmpty() ? null : checkedOwner(home, file, text.get().strip());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + home.describe(file) + ": " + e.getMessage(), e);
    }
  }

  private static String checkedOwner(StateHome home, Path file, String text) {
    if (!OWNER.matcher(text).matches()) {
      throw new UncheckedIOException(
          new IOException(
              home.describe(file) + " does not hold an owner id (a UUID; it "
                  + "holds "
                  + (text.isEmpty()
                      ? "nothing"
                      : "'" + Texts.shown(text.length() > 40 ? text.substring(0, 40) : text) + "'")
                  + "); the id is on every container this state directory made: docker ps --format "
                  + "'{{.Label \"reconcile.owner\"}}' --filter label=reconcile.managed=true shows it; write it back"));
    }
    return text;
  }

  /** The history of the fleet, {@code keep} snapshots per environment. */
  public SnapshotStore snapshots(int keep) {
    return new FileSnapshotStore(home, keep);
  }

  /**
   * How secrets are digested: HMAC under {@code secret.key} in the home (32 random bytes, mode
   * 0600), made on first use on this machine, by plan as well, since plan and apply must digest
   * alike. A server's key is made by the first apply; until then a plan digests with the key that
   * apply will write (or the checkout's, which it will move there).
   */
  public synchronized SecretDigest secrets() {
    if (secrets == null) {
      secrets = SecretDigest.withKey(HexFormat.of().parseHex(keyText()));
    }
    return secrets;
  }

  private String keyText() {
    var file = home.dir().resolve("secret.key");
    try {
      var text = home.read(file);
      if (text.isEmpty() && home.onThisMachine()) {
        home.createIfAbsent(file, newKey(), true);
        text = home.read(file);
      }
      if (text.isEmpty()) {
        text = legacy()
            .read(legacy().dir().resolve("secret.key"))
            .or(() -> Optional.of(provisionalKey()));
      }
      var key = text.get().strip();
      if (!key.matches("[0-9a-f]{64,}")) {
        throw new UncheckedIOException(
            new IOException(home.describe(file) + " does not hold a key (64 hex digits); "
                + "if it was lost, remove it: a new one is made, and containers with secret env values "
                + "are then replaced once"));
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read or create " + home.describe(file) + ": " + e.getMessage(), e);
    }
  }

  private @Nullable String provisionalKey;

  private synchronized String provisionalKey() {
    if (provisionalKey == null) {
      provisionalKey = newKey();
    }
    return provisionalKey;
  }

  private static String newKey() {
    var key = new byte[32];
    new SecureRandom().nextBytes(key);
    return HexFormat.of().formatHex(key) + "\n";
  }

  /** The checkout's own state folder, where earlier versions kept everything. */
  private StateHome legacy() {
    return new StateHome.Local(stateDir);
  }

  /** Whether the home has no state yet: the first apply makes it, or moves the checkout's there. */
  public boolean unsettled() {
    return unsettled;
  }

  /** What {@link #settle} did, for the apply's output. */
  public record Settled(List<String> moved) {}

  /**
   * Makes the home's state before an apply changes anything: on a server without state yet, the
   * checkout's state folder of an earlier version is moved there (owner id, secret key, history,
   * holds, drift times, audit log: containers stay owned and nothing is redeployed), or the owner
   * id and key this run planned with are written. Nothing when the home has its state.
   *
   * @throws IOException when it cannot be written, or another run made it at the same moment
   *     (then this run's plan was made for another owner: plan again)
   */
  public Settled settle() throws IOException {
    if (!unsettled) {
      return new Settled(List.of());
    }
    var moved = StateMove.move(legacy(), home, owner, keyText());
    var now = home.read(home.dir().resolve("owner")).map(String::strip);
    if (!now.equals(Optional.of(owner))) {
      throw new IOException(home.describe(home.dir().resolve("owner"))
          + " was made by another run at the " + "same moment; nothing was changed: plan again");
    }
    return new Settled(moved);
  }

  private static final Pattern OWNER =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** The layout of a fleet whose state lives in the checkout (every project on this machine). */
  public static Layout of(Path specFile, Platform platform) {
    var specDir = AtomicFiles.parentOf(specFile.toAbsolutePath());
    var stateDir = specDir.resolve(platform.stateDir()).normalize();
    var home = new StateHome.Local(stateDir);
    return new Layout(
        specDir,
        stateDir,
        sitesDir(platform.nginx(), stateDir, specDir),
        home,
        Checks.present(ownerOf(home, true), "the owner id in %s", stateDir),
        false);
  }

  /**
   * The layout of a fleet, its home on the first server over SSH it declares (reached through
   * {@code hosts}, lazily), else in the checkout. Reads the home; writes nothing on a
   * server (a plan from a read-only account must work).
   */
  public static Layout of(Path specFile, Platform platform, HostResolver hosts) {
    var home = homeOf(platform, hosts);
    if (home.isEmpty()) {
      return of(specFile, platform);
    }
    var specDir = AtomicFiles.parentOf(specFile.toAbsolutePath());
    var stateDir = specDir.resolve(platform.stateDir()).normalize();
    var found = ownerOf(home.get(), false);
    var unsettled = found == null;
    String owner;
    if (found != null) {
      owner = found;
    } else {
      // Containers a checkout of an earlier version made carry its owner id: plan with it, and the
      // first apply moves it to the server.
      var legacy = ownerOf(new StateHome.Local(stateDir), false);
      owner = legacy != null ? legacy : UUID.randomUUID().toString();
    }
    return new Layout(
        specDir,
        stateDir,
        sitesDir(platform.nginx(), stateDir, specDir),
        home.get(),
        owner,
        unsettled);
  }

  /**
   * The first server over SSH in {@code platform.hosts} order: one rule that depends on nothing
   * but the hosts, so every projects.yml of a fleet (and every checkout of one) finds the same.
   */
  static Optional<StateHome> homeOf(Platform platform, HostResolver hosts) {
    for (var spec : platform.hosts().values()) {
      if (spec instanceof HostSpec.Ssh ssh
          && platform.stateHost().map(ssh.name()::equals).orElse(true)) {
        StateHome.HostRef ref = () -> {
          try {
            return hosts.host(ssh);
          } catch (ProviderException e) {
            throw new IOException(
                "cannot reach host " + ssh.name() + ", where the state lives: " + e.getMessage(),
                e);
          }
        };
        return Optional.of(new StateHome.Remote(ssh.name(), ref, Path.of(ssh.stateDir())));
      }
    }
    return Optional.empty();
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
