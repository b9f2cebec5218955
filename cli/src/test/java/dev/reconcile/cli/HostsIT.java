package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.testing.TestPorts;
import dev.reconcile.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** reconcile hosts check and trust, against a real sshd and a closed port. */
class HostsIT {
  @RegisterExtension
  static final TestSshd sshd = TestSshd.perClass();

  @TempDir
  Path dir;

  private Path spec(String knownHosts, String extraHost) throws Exception {
    var spec = dir.resolve("projects.yml");
    Files.writeString(spec, """
        version: 1
        platform:
          hosts:
            local: { docker: "unix:///var/run/docker.sock" }
            web-2: { ssh: "%s@127.0.0.1:%d", identity: "%s", known_hosts: "%s" }
            %s
        projects: {}
        """.formatted(
            System.getProperty("user.name"), sshd.port, sshd.clientKey, knownHosts, extraHost));
    return spec;
  }

  private static String fingerprint(Path publicKey) throws Exception {
    return TestHosts.run("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString())
        .split(" ")[1];
  }

  @Test
  void trust_showsTheFingerprint_addsOnlyWhenConfirmed_thenConnects() throws Exception {
    var spec = spec("my_known_hosts", "");

    var asked = CliRun.of("-f", spec.toString(), "hosts", "trust", "web-2");
    assertThat(asked.exitCode()).isEqualTo(1);
    assertThat(asked.out())
        .contains("web-2 (", "offers ssh-ed25519 " + fingerprint(sshd.dir.resolve("host_key.pub")));
    assertThat(asked.err()).contains("Run 'reconcile hosts trust web-2 --yes'");
    assertThat(dir.resolve("my_known_hosts")).doesNotExist();

    var trusted = CliRun.of("-f", spec.toString(), "hosts", "trust", "web-2", "--yes");
    assertThat(trusted.exitCode()).as(trusted.out() + trusted.err()).isZero();
    assertThat(Files.readString(dir.resolve("my_known_hosts")))
        .startsWith("[127.0.0.1]:" + sshd.port + " ssh-ed25519 ");

    var again = CliRun.of("-f", spec.toString(), "hosts", "trust", "web-2");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("already trusted");
    var check = CliRun.of("-f", spec.toString(), "hosts", "check", "web-2");
    assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
  }

  @Test
  void trust_aChangedKey_isRefused() throws Exception {
    var other = Files.readString(sshd.dir.resolve("other_key.pub")).strip().split(" ");
    Files.writeString(
        dir.resolve("changed"),
        "[127.0.0.1]:" + sshd.port + " " + other[0] + " " + other[1] + "\n");
    var spec = spec("changed", "");

    var run = CliRun.of("-f", spec.toString(), "hosts", "trust", "web-2", "--yes");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("the key has CHANGED");
    assertThat(Files.readString(dir.resolve("changed"))).contains(other[1]).hasLineCount(1);
  }

  @Test
  void check_reportsEachHost_andAnUnreachableOneFailsTheCheck() throws Exception {
    var closed = TestPorts.reserve();
    var spec = spec(
        sshd.knownHosts.toString(),
        "web-3: { ssh: \"deploy@127.0.0.1:" + closed + "\", known_hosts: \"" + sshd.knownHosts
            + "\" }");

    var run = CliRun.of("-f", spec.toString(), "hosts", "check");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .containsPattern(
            "local  ok  engine \\S+  nginx nginx/\\S+  disk [0-9.]+ GiB free  clock [+-][0-9.]+ s")
        .containsPattern("web-2  ok  engine \\S+  nginx nginx/\\S+  disk")
        .contains("web-3  UNREACHABLE  cannot connect to deploy@127.0.0.1:" + closed);
  }
}
