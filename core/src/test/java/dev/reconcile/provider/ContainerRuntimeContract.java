package dev.reconcile.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.model.HostSpec;
import dev.reconcile.provider.ContainerRuntime.PortTaken;
import dev.reconcile.provider.ContainerRuntime.RunningSlot;
import dev.reconcile.provider.ContainerRuntime.SlotLaunch;
import dev.reconcile.testing.TestPorts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContainerRuntime} promises, whoever wrote it: a slot started on a loopback
 * port answers there and is what the runtime reads back; stopped, it keeps its port and starts
 * again; removed (or retired: stopped, then removed) twice, it is gone and then already gone; a port taken since the check is {@link
 * PortTaken} with nothing left behind. An interface, so a provider's test class (which extends its
 * own base) can take it on: implement the four methods, on a host whose runtime has the routed
 * container's image and where this test's loopback is the host's (this machine, or a server over
 * SSH that is this machine). {@code reconcile-core}'s test jar ships it (docs/plugins.md).
 */
public interface ContainerRuntimeContract {
  /** The capability under test. */
  ContainerRuntime containers();

  HostSpec runtimeHost();

  /** A routed container of a project of the test's own; its image answers 2xx on {@code /}. */
  DesiredContainer routedContainer() throws Exception;

  /** The owner label of the test's own. */
  String runtimeOwner();

  private RunningSlot start(String slot, int port) throws Exception {
    return containers()
        .start(
            runtimeHost(),
            new SlotLaunch(
                routedContainer(), slot, OptionalInt.of(port), Map.of(), runtimeOwner()));
  }

  @Test
  default void started_answersOnItsLoopbackPort_isReadBack_andRemovedTwiceIsGoneThenAlreadyGone()
      throws Exception {
    var port = TestPorts.reserve();
    var blue = start("blue", port);
    try {
      assertThat(blue.address()).hasValue("127.0.0.1:" + port);
      assertThat(Answers.statusAt("127.0.0.1:" + port)).isBetween(200, 299);
      assertThat(containers().publishedPorts(runtimeHost())).contains(port);
      assertThat(containers().health(runtimeHost(), blue.containerId()))
          .isIn("running", "healthy", "starting");
      assertThat(containers().inspect(runtimeHost(), blue.containerId()))
          .as("what it runs with, read from the runtime")
          .hasValueSatisfying(config -> assertThat(config.restarts()).isZero());
    } finally {
      assertThat(containers().remove(runtimeHost(), blue.id(), blue.containerId()))
          .isInstanceOf(Outcome.Deleted.class);
    }
    assertThat(containers().remove(runtimeHost(), blue.id(), blue.containerId()))
        .isInstanceOf(Outcome.AlreadyAbsent.class);
    assertThat(containers().publishedPorts(runtimeHost())).doesNotContain(port);
  }

  @Test
  default void retired_isGoneWithItsPort_andRetiredTwiceIsAlreadyGone() throws Exception {
    var port = TestPorts.reserve();
    var blue = start("blue", port);
    assertThat(containers().retire(runtimeHost(), blue.id(), blue.containerId()))
        .isInstanceOf(Outcome.Deleted.class);
    assertThat(containers().retire(runtimeHost(), blue.id(), blue.containerId()))
        .isInstanceOf(Outcome.AlreadyAbsent.class);
    assertThat(containers().publishedPorts(runtimeHost())).doesNotContain(port);
  }

  @Test
  default void stopped_keepsItsPort_aSecondStopChangesNothing_andItStartsAgainThere()
      throws Exception {
    var port = TestPorts.reserve();
    var blue = start("blue", port);
    try {
      assertThat(containers().stop(runtimeHost(), blue.id(), blue.containerId()).describe())
          .doesNotContain("already");
      assertThat(containers().stop(runtimeHost(), blue.id(), blue.containerId()).describe())
          .contains("already");
      assertThat(containers().publishedPorts(runtimeHost()))
          .as("a stopped slot keeps its port: it gets it back when it starts again")
          .contains(port);

      assertThat(containers()
              .startAgain(runtimeHost(), blue.id(), blue.containerId())
              .describe())
          .doesNotContain("already");

      assertThat(Answers.statusAt("127.0.0.1:" + port)).isBetween(200, 299);
      assertThat(containers()
              .startAgain(runtimeHost(), blue.id(), blue.containerId())
              .describe())
          .contains("already");
    } finally {
      containers().remove(runtimeHost(), blue.id(), blue.containerId());
    }
  }

  @Test
  default void start_onAPortTakenSinceTheCheck_saysPortTaken_andLeavesNoContainer()
      throws Exception {
    var byProcess = TestPorts.reserve();
    var byContainer = TestPorts.reserve();
    // The test machine is the host (over SSH too): a listener here holds the port there.
    try (var listener = new ServerSocket(byProcess, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> start("blue", byProcess))
          .isInstanceOf(PortTaken.class)
          .hasMessageContaining("port " + byProcess + " was taken");
    }
    var blue = start("blue", byContainer);
    try {
      assertThatThrownBy(() -> start("green", byContainer))
          .isInstanceOf(PortTaken.class)
          .hasMessageContaining("port " + byContainer + " was taken");
      // Nothing of the green slot that could not start is left in the way of its next start.
      var green = start("green", TestPorts.reserve());
      containers().remove(runtimeHost(), green.id(), green.containerId());
    } finally {
      containers().remove(runtimeHost(), blue.id(), blue.containerId());
    }
  }
}
