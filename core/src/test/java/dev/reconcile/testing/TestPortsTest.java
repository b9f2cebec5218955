package dev.reconcile.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TestPortsTest {

  @Test
  void portsComeFromTheTestRange_outsideTheSlotsAndTheKernelsEphemeralRange() {
    var seen = new HashSet<Integer>();
    for (var i = 0; i < 20; i++) {
      var port = TestPorts.reserve();
      assertThat(port).isBetween(10000, 16999);
      assertThat(seen.add(port)).as("handed out twice: %d", port).isTrue();
    }
  }

  @Test
  void aPortSomeoneListensOn_isNeverHandedOut() throws Exception {
    var base = 19900; // outside the range reserve() draws from, so no other test here holds it
    try (var busy = new ServerSocket(base, 1, InetAddress.getLoopbackAddress())) {
      // The only other port of the range goes first; then nothing is left.
      assertThat(TestPorts.reserveIn(base, base + 1, false)).isEqualTo(base + 1);
      assertThatThrownBy(() -> TestPorts.reserveIn(base, base + 1, false))
          .hasMessageContaining("no free test port in 19900-19901");
    }
  }

  @Test
  void aPortAnotherJvmReserved_isNotHandedOutUntilThatJvmIsGone() throws Exception {
    var first = 19950;
    var last = 19952;
    var java = ProcessHandle.current().info().command().orElseThrow();
    var child = new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            Holder.class.getName(),
            String.valueOf(first),
            String.valueOf(last))
        .start();
    try {
      var out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("held");
      assertThatThrownBy(() -> TestPorts.reserveIn(first, last, false))
          .hasMessageContaining("reserved by another test JVM");
      // kill -9: the kernel drops its locks with it.
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(TestPorts.reserveIn(first, last, false)).isBetween(first, last);
    } finally {
      child.destroyForcibly();
    }
  }

  /** A second test JVM: reserves every port of a range, says so, and waits to be killed. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      var first = Integer.parseInt(args[0]);
      var last = Integer.parseInt(args[1]);
      for (var port = first; port <= last; port++) {
        TestPorts.reserveIn(first, last, false);
      }
      System.out.println("held");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
