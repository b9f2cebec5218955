package dev.reconcile.providers.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.model.NetworkPool;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which blocks of the pool a new network may take. */
class SubnetsTest {
  @Test
  void free_skipsEverySubnetANetworkOverlaps_andIgnoresIpv6AndEmptyOnes() {
    var pool = NetworkPool.parse("10.210.0.0/22");

    var free = Subnets.free(
        pool, List.of("10.210.1.0/24", "10.210.2.128/25", "fd00::/64", "", "172.17.0.0/16"));

    assertThat(free).containsExactly("10.210.0.0/24", "10.210.3.0/24");
    assertThat(Subnets.free(pool, List.of("10.0.0.0/8"))).isEmpty();
  }

  @Test
  void free_blocksForTheEgressNetwork_skipAnyBlockAUsedSubnetFallsIn() {
    var pool = NetworkPool.parse("10.210.0.0/16");

    var free = Subnets.free(pool, 20, List.of("10.210.3.0/24", "10.210.40.0/24"));

    assertThat(free).hasSize(14).startsWith("10.210.16.0/20", "10.210.48.0/20");
    // A pool smaller than the block: the egress network takes all of it.
    assertThat(Subnets.free(NetworkPool.parse("10.210.7.0/24"), 20, List.of()))
        .containsExactly("10.210.7.0/24");
  }
}
