package dev.reconcile.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.model.PortRange;
import dev.reconcile.provider.ContainerRuntime.PortTaken;
import dev.reconcile.provider.ContainerRuntime.RunningSlot;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.providers.host.LocalHost;
import dev.reconcile.resource.ResourceId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port taken between the check and the start moves the start to another port. */
class PortAllocatorTest {
  @TempDir
  Path dir;

  private final ResourceId web = ResourceId.container("shop", "production", "web");

  private PortAllocator allocator() {
    return new PortAllocator(
        new LocalHost("local"),
        new PortRange(20000, 20099),
        Set.of(),
        ProcessLock.of(dir.resolve("ports.lock")));
  }

  @Test
  void aPortTakenSinceTheCheck_isSkipped_andTheStartMovesOn() throws Exception {
    var tried = new ArrayList<Integer>();
    var slot = allocator().launch(true, port -> {
      tried.add(port.getAsInt());
      if (tried.size() < 3) {
        throw new PortTaken(
            port.getAsInt(),
            "Bind for 127.0.0.1:" + port.getAsInt() + " failed: port is already allocated");
      }
      return new RunningSlot(web, "c1", "shop-web-production-blue", "blue", port);
    });

    assertThat(tried).hasSize(3).doesNotHaveDuplicates();
    assertThat(slot)
        .get()
        .extracting(RunningSlot::hostPort)
        .isEqualTo(OptionalInt.of(tried.get(2)));
  }

  @Test
  void portsTakenAgainAndAgain_failAsTransient_namingEachPort() {
    var tried = new ArrayList<Integer>();
    assertThatThrownBy(() -> allocator().launch(true, port -> {
          tried.add(port.getAsInt());
          throw new PortTaken(port.getAsInt(), "address already in use");
        }))
        .isInstanceOf(ProviderException.Transient.class)
        .hasMessageContaining(PortAllocator.STARTS + " ports in a row were taken")
        .hasMessageContaining(
            "port " + tried.get(0) + " was taken since it was found free (address already in use)");
    assertThat(tried).hasSize(PortAllocator.STARTS).doesNotHaveDuplicates();
  }

  @Test
  void portsComeFromTheRange_eachOnce_untilItIsUsedUp() throws Exception {
    var allocator = new PortAllocator(
        new LocalHost("local"),
        new PortRange(20090, 20099),
        Set.of(20095),
        ProcessLock.of(dir.resolve("ports.lock")));
    var given = new TreeSet<Integer>();
    for (var port = allocator.next(); port.isPresent(); port = allocator.next()) {
      assertThat(given.add(port.getAsInt())).as("handed out once: " + port).isTrue();
    }
    // Every port of the range but the published one, unless something else on this machine binds
    // one.
    assertThat(given).isSubsetOf(20090, 20091, 20092, 20093, 20094, 20096, 20097, 20098, 20099);
  }

  @Test
  void aContainerWithoutPort_getsNone() throws Exception {
    var slot = allocator().launch(false, port -> {
      assertThat(port).isEmpty();
      return new RunningSlot(web, "c1", "shop-worker-production-blue", "blue", port);
    });
    assertThat(slot).isPresent();
  }
}
