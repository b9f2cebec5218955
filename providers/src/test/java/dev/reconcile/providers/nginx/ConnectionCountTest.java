package dev.reconcile.providers.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Connections to an old slot, read from {@code ss -Htn state established}. */
class ConnectionCountTest {
  private static final String SS = """
      0      0               127.0.0.1:41000          127.0.0.1:20004
      0      0               127.0.0.1:20004          127.0.0.1:41000
      0      0      [::ffff:127.0.0.1]:41002 [::ffff:127.0.0.1]:20004
      0      0               127.0.0.1:41003          127.0.0.1:20005
      0      0               10.0.0.5:41004           10.0.0.9:20004
      0      0               127.0.0.1:41005          127.0.0.1:200041
      """;

  @Test
  void countsEachConnectionOnce_atItsClientEnd_onLoopbackOnly() {
    assertThat(NginxSiteControl.countPeers(SS, List.of(20004))).isEqualTo(2);
    assertThat(NginxSiteControl.countPeers(SS, List.of(20004, 20005))).isEqualTo(3);
    assertThat(NginxSiteControl.countPeers(SS, List.of(20006))).isZero();
    assertThat(NginxSiteControl.countPeers("", List.of(20004))).isZero();
  }
}
