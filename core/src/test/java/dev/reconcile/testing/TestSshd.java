package dev.reconcile.testing;

import dev.reconcile.model.HostSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real sshd of the test's own on 127.0.0.1: its own host key, a generated client key in its
 * authorized_keys, and a known_hosts file that trusts it. The "remote" host is this machine.
 *
 * <p>One per test class: {@code @RegisterExtension static final TestSshd sshd = TestSshd.perClass();}
 * starts it before the class's tests and stops it after them.
 */
public final class TestSshd implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  // Set once started: by the constructor, or by beforeAll for perClass().
  public Path dir;
  public int port;
  public Path clientKey;
  public Path knownHosts;
  private volatile Process process;

  private TestSshd(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.clientKey = dir == null ? null : dir.resolve("client_key");
    this.knownHosts = dir == null ? null : dir.resolve("known_hosts");
  }

  /** An sshd started before the tests of the class that registers it, and stopped after them. */
  public static TestSshd perClass() {
    return new TestSshd(null, 0, null);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    var started = start();
    dir = started.dir;
    port = started.port;
    clientKey = started.clientKey;
    knownHosts = started.knownHosts;
    process = started.process;
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process != null) {
      close();
    }
  }

  public static TestSshd start() throws Exception {
    return start(true);
  }

  /** A server whose sshd_config has no SFTP subsystem, as some hardened ones do. */
  public static TestSshd withoutSftp() throws Exception {
    return start(false);
  }

  private static TestSshd start(boolean sftp) throws Exception {
    var dir = Files.createTempDirectory("rc-sshd-");
    keygen(dir.resolve("host_key"));
    keygen(dir.resolve("client_key"));
    keygen(dir.resolve("other_key"));
    Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
    if (!Files.isDirectory(Path.of("/run/sshd"))) {
      // sshd's privilege separation folder; as root it must exist (toolchain.md).
      Files.createDirectories(Path.of("/run/sshd"));
    }
    // The sessions' HOME is an empty folder: bash started by sshd sources ~/.bashrc, and this
    // machine's (pyenv init) costs about 0.4 s per command, which made the SSH tests minutes
    // slower.
    var home = Files.createDirectories(dir.resolve("home"));
    for (int attempt = 0; ; attempt++) {
      var port = TestPorts.reserve();
      var config = dir.resolve("sshd_config");
      Files.writeString(
          config,
          String.join(
              "\n",
              "Port " + port,
              "ListenAddress 127.0.0.1",
              "HostKey " + dir.resolve("host_key"),
              "PidFile " + dir.resolve("sshd.pid"),
              "AuthorizedKeysFile " + dir.resolve("authorized_keys") + " "
                  + dir.resolve("authorized_keys.%u"),
              "StrictModes no",
              "UsePAM no",
              "PasswordAuthentication no",
              "KbdInteractiveAuthentication no",
              "PermitRootLogin prohibit-password",
              "AllowTcpForwarding yes",
              "MaxSessions 50",
              "MaxStartups 50",
              "SetEnv HOME=" + home,
              sftp ? "Subsystem sftp internal-sftp" : "",
              ""));
      var process = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
          .redirectErrorStream(true)
          .start();
      if (listening(process)) {
        var hostKey = Files.readString(dir.resolve("host_key.pub")).strip().split(" ");
        Files.writeString(
            dir.resolve("known_hosts"),
            "[127.0.0.1]:" + port + " " + hostKey[0] + " " + hostKey[1] + "\n");
        return new TestSshd(dir, port, process);
      }
      process.destroyForcibly();
      if (attempt == 4) {
        throw new IllegalStateException("sshd did not start on five free ports");
      }
    }
  }

  /**
   * The server restarting under its clients, as a reboot or an upgrade of the server does: every
   * connection's sshd process is killed (clients see the connection drop), then sshd starts again
   * on the same port with the same keys. The commands those connections ran are left to end on
   * their own: killing a login shell halfway through the machine's rc files (pyenv's rehash) has
   * left a stale lock that made every later session wait 60 s.
   */
  public void restart() throws Exception {
    var old = process;
    old.descendants()
        .filter(p -> p.info()
            .command()
            .map(c -> c.endsWith("sshd") || c.contains("sshd-session"))
            .orElse(true))
        .forEach(ProcessHandle::destroyForcibly);
    old.destroyForcibly();
    old.waitFor(10, TimeUnit.SECONDS);
    var again = new ProcessBuilder(
            "/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())
        .redirectErrorStream(true)
        .start();
    if (!listening(again)) {
      throw new IllegalStateException("sshd did not start again on port " + port);
    }
    process = again;
  }

  /** The listening sshd's pid: its children are the connections' processes. */
  public long pid() {
    return process.pid();
  }

  /** Waits for sshd's "Server listening" line; false when it exited first (port taken since). */
  private static boolean listening(Process process) throws Exception {
    var reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    var heard = CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.contains("Server listening on 127.0.0.1")) {
            // Keep draining, so sshd never blocks on a full pipe.
            Thread.ofPlatform().daemon().start(() -> {
              try {
                reader.transferTo(java.io.Writer.nullWriter());
              } catch (IOException e) {
                // sshd ended
              }
            });
            return true;
          }
        }
        return false;
      } catch (IOException e) {
        return false;
      }
    });
    return heard.get(30, TimeUnit.SECONDS);
  }

  private static void keygen(Path file) throws Exception {
    var keygen = new ProcessBuilder(
            "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "rc-test", "-f", file.toString())
        .redirectErrorStream(true)
        .start();
    if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
      throw new IllegalStateException(
          "ssh-keygen failed: " + new String(keygen.getInputStream().readAllBytes()));
    }
  }

  /**
   * Lets another account of this machine in with its own key: a new key pair {@code NAME_key}
   * in this server's folder. sshd reads an account's authorized keys as that account, so the
   * folder is opened for passing through and the file made readable.
   */
  public Path allow(String user) throws Exception {
    var key = dir.resolve(user + "_key");
    keygen(key);
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    var authorized = dir.resolve("authorized_keys." + user);
    Files.copy(
        dir.resolve(user + "_key.pub"),
        authorized,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(
        authorized, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    return key;
  }

  /** A {@code platform.hosts} entry for this server as another account, with its key. */
  public String hostEntry(String name, String user, Path key, Path stateDir, int nginxPort) {
    return "%s: { ssh: \"%s@127.0.0.1:%d\", identity: \"%s\", known_hosts: \"%s\", state_dir: \"%s\", nginx: { listen: \"127.0.0.1:%d\" } }"
        .formatted(name, user, port, key, knownHosts, stateDir, nginxPort);
  }

  /** A host entry as projects.yml would declare it (paths absolute). */
  public HostSpec.Ssh host(String name) {
    return host(name, clientKey, knownHosts);
  }

  public HostSpec.Ssh host(String name, Path identity, Path knownHostsFile) {
    return new HostSpec.Ssh(
        name,
        System.getProperty("user.name"),
        "127.0.0.1",
        port,
        Optional.of(identity.toString()),
        Optional.of(knownHostsFile.toString()));
  }

  /** The lines of a {@code platform.hosts} entry for this server, as projects.yml declares it. */
  public String hostEntry(String name, Path stateDir, int nginxPort) {
    return hostEntry(name, System.getProperty("user.name"), clientKey, stateDir, nginxPort);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (var p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
