package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandoffTest {
  @Test
  void handsOverPlanAndApplyThatAsksNothing_only() {
    assertThat(Handoff.eligible(Map.of(), "plan")).isTrue();
    assertThat(Handoff.eligible(Map.of(), "-f", "x.yml", "apply", "--yes")).isTrue();
    assertThat(Handoff.eligible(Map.of(), "apply")).isFalse();
    assertThat(Handoff.eligible(Map.of(), "plan", "--help")).isFalse();
    assertThat(Handoff.eligible(Map.of(), "-f", "plan", "validate")).isFalse();
    assertThat(Handoff.eligible(Map.of(), "rollback", "--yes")).isTrue();
    assertThat(Handoff.eligible(Map.of(), "rollback")).isFalse();
    assertThat(Handoff.eligible(Map.of(), "backup", "restore", "--yes")).isFalse();
    assertThat(Handoff.eligible(Map.of("RECONCILE_HANDOFF", "off"), "plan")).isFalse();
    assertThat(Handoff.eligible(Map.of("RECONCILE_TEST_KILL_AFTER", "x"), "plan"))
        .isFalse();
  }

  @Test
  void readsTheSpecOnlyWhereItIsNamedPlainly() {
    assertThat(Handoff.specFile("plan")).contains("projects.yml");
    assertThat(Handoff.specFile("-f", "a/b.yml", "plan")).contains("a/b.yml");
    assertThat(Handoff.specFile("--file=c.yml", "plan")).contains("c.yml");
    assertThat(Handoff.specFile("-fc.yml", "plan")).isEqualTo(Optional.empty());
    assertThat(Handoff.specFile("-f", "a.yml", "-f", "b.yml", "plan")).isEmpty();
  }

  @Test
  void aSocketNameIsShortAndStable() {
    assertThat(Handoff.name("/etc/reconcile/shop/projects.yml"))
        .isEqualTo(Handoff.name("/etc/reconcile/shop/projects.yml"))
        .isNotEqualTo(Handoff.name("/etc/reconcile/shop2/projects.yml"))
        .hasSizeLessThanOrEqualTo(16);
  }

  @TempDir
  Path dir;

  /** What the controller answers a request: its first byte and, when declined, why. */
  private static String answer(Path socket, Handoff.Request request) throws Exception {
    try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      try {
        request.write(new DataOutputStream(Channels.newOutputStream(channel)));
      } catch (java.io.IOException e) {
        // A controller that declines on the first field (another protocol) closes before the
        // rest is written: the client's write fails (as Handoff.run expects), its answer is sent.
      }
      var in = new DataInputStream(Channels.newInputStream(channel));
      var first = in.readByte();
      return first == Handoff.DECLINED ? "declined: " + in.readUTF() : "answered " + first;
    }
  }

  private static Handoff.Request request(String protocol, String build, String... args) {
    return new Handoff.Request(
        protocol,
        build,
        "/",
        List.of(args),
        Map.of(),
        false,
        ProcessHandle.current().pid());
  }

  @Test
  void theControllerDeclines_anotherBuildOrProtocolOrARunThatIsNotHanded_havingRunNothing()
      throws Exception {
    var spec = Files.writeString(dir.resolve("projects.yml"), "version: 1\n");
    var log = new CopyOnWriteArrayList<String>();
    try (var server = HandoffServer.start(spec, log::add).orElseThrow()) {
      assertThat(answer(server.socket(), request(Handoff.PROTOCOL, "another build", "plan")))
          .startsWith("declined: another build of reconcile");
      assertThat(answer(server.socket(), request("reconcile-handoff 2", Handoff.build(), "plan")))
          .startsWith("declined: it speaks reconcile-handoff 2");
      assertThat(answer(server.socket(), request(Handoff.PROTOCOL, Handoff.build(), "apply")))
          .isEqualTo("declined: not a run that is handed over");
      assertThat(log).hasSize(3).allMatch(l -> l.startsWith("handoff: declined a run for pid "));

      assertThat(HandoffServer.start(spec, log::add))
          .as("a second controller of the same file takes no runs")
          .isEmpty();
      assertThat(log.getLast()).contains("another controller of " + spec + " takes them");
    }
  }

  @Test
  void aSocketLeftByAKilledController_isReplaced() throws Exception {
    var spec = Files.writeString(dir.resolve("projects.yml"), "version: 1\n");
    var socket = Handoff.socket(spec).orElseThrow();
    Files.deleteIfExists(socket);
    // Bound, then its channel closed without removing the file: what kill -9 leaves.
    try (var dead = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists();
    try (var server = HandoffServer.start(spec, l -> {}).orElseThrow()) {
      assertThat(answer(server.socket(), request(Handoff.PROTOCOL, "x", "plan")))
          .startsWith("declined: ");
    }
    assertThat(socket).as("closing removes it").doesNotExist();
  }
}
