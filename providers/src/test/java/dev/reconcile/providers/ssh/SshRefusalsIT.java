package dev.reconcile.providers.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.host.CommandLine;
import dev.reconcile.model.HostSpec;
import dev.reconcile.testing.TestPorts;
import dev.reconcile.testing.TestSshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Strict host keys, a wrong client key and a closed port: each refused, in words a user can act on. */
class SshRefusalsIT {
  @RegisterExtension
  static final TestSshd sshd = TestSshd.perClass();

  private final SshHostConnector connector = new SshHostConnector();

  private static String fingerprintOf(Path publicKey) throws Exception {
    var result =
        new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString()).start();
    return new String(result.getInputStream().readAllBytes()).split(" ")[1];
  }

  @Test
  void trustedKey_connects_andRunsCommands() throws Exception {
    try (var host = connector.connect(sshd.host("web-2"), Path.of("."))) {
      assertThat(host.run(CommandLine.of("echo", "hi"), Duration.ofSeconds(10)).output())
          .isEqualTo("hi\n");
    }
  }

  @Test
  void aServerWithoutSftp_isNamedAsSuch() throws Exception {
    try (var bare = TestSshd.withoutSftp()) {
      assertThatThrownBy(() -> connector.connect(bare.host("web-3"), Path.of(".")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("127.0.0.1:" + bare.port + ") has no SFTP subsystem")
          .hasMessageContaining("Subsystem sftp internal-sftp");
    }
  }

  @Test
  void aClosedConnection_isSaidPlainly() throws Exception {
    var host = connector.connect(sshd.host("web-2"), Path.of("."));
    org.assertj.core.api.Assertions.assertThat(host.isOpen()).isTrue();
    host.close();
    org.assertj.core.api.Assertions.assertThat(host.isOpen())
        .as("what makes a controller connect again")
        .isFalse();

    assertThatThrownBy(() -> host.run(CommandLine.of("true"), Duration.ofSeconds(10)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("the SSH connection to web-2 (" + System.getProperty("user.name")
            + "@127.0.0.1:" + sshd.port + ") is closed");
    assertThatThrownBy(() -> host.read(Path.of("/etc/hostname")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void unknownHostKey_isRefused_showingItsFingerprint() throws Exception {
    var empty = Files.writeString(sshd.dir.resolve("known_hosts_empty"), "");

    assertThatThrownBy(
            () -> connector.connect(sshd.host("web-2", sshd.clientKey, empty), Path.of(".")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the host key of web-2 (" + System.getProperty("user.name")
            + "@127.0.0.1:" + sshd.port + ") is unknown")
        .hasMessageContaining(fingerprintOf(sshd.dir.resolve("host_key.pub")))
        .hasMessageContaining("reconcile hosts trust web-2");
  }

  @Test
  void changedHostKey_isRefused_sayingSo() throws Exception {
    var other = Files.readString(sshd.dir.resolve("other_key.pub")).strip().split(" ");
    var wrong = Files.writeString(
        sshd.dir.resolve("known_hosts_changed"),
        "[127.0.0.1]:" + sshd.port + " " + other[0] + " " + other[1] + "\n");

    assertThatThrownBy(
            () -> connector.connect(sshd.host("web-2", sshd.clientKey, wrong), Path.of(".")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("has CHANGED")
        .hasMessageContaining(fingerprintOf(sshd.dir.resolve("host_key.pub")));
  }

  @Test
  void wrongClientKey_isRefused_namingKeyAndUser() {
    var other = sshd.dir.resolve("other_key");

    assertThatThrownBy(
            () -> connector.connect(sshd.host("web-2", other, sshd.knownHosts), Path.of(".")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("refused the key " + other)
        .hasMessageContaining("for user " + System.getProperty("user.name"));
  }

  @Test
  void closedPort_isAClearError() {
    var closed = new HostSpec.Ssh(
        "web-3",
        "deploy",
        "127.0.0.1",
        TestPorts.reserve(),
        Optional.of(sshd.clientKey.toString()),
        Optional.of(sshd.knownHosts.toString()));

    assertThatThrownBy(() -> connector.connect(closed, Path.of(".")))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot connect to deploy@127.0.0.1:" + closed.port())
        .hasMessageContaining("Connection refused");
  }

  @Test
  void relativeKeyPaths_resolveAgainstTheSpecFolder() throws Exception {
    var spec = new HostSpec.Ssh(
        "web-2",
        System.getProperty("user.name"),
        "127.0.0.1",
        sshd.port,
        Optional.of("client_key"),
        Optional.of("known_hosts"));

    try (var host = connector.connect(spec, sshd.dir)) {
      assertThat(host.name()).isEqualTo("web-2");
    }
  }
}
