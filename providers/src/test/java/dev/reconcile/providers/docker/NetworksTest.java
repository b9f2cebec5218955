package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.model.NetworkPool;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which /24s of the pool a new network may take. */
class NetworksTest {
  @Test
  void free_skipsEverySubnetANetworkOverlaps_andIgnoresIpv6AndEmptyOnes() {
    var pool = NetworkPool.parse("10.210.0.0/22");

    var free = Networks.free(
        pool, List.of("10.210.1.0/24", "10.210.2.128/25", "fd00::/64", "", "172.17.0.0/16"));

    assertThat(free).containsExactly("10.210.0.0/24", "10.210.3.0/24");
    assertThat(Networks.free(pool, List.of("10.0.0.0/8"))).isEmpty();
  }
}
