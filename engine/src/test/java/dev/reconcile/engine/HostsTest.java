package dev.reconcile.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reconcile.host.Host;
import dev.reconcile.host.HostConnector;
import dev.reconcile.model.HostSpec;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HostsTest {
  /** A connection that can drop: isOpen turns false, as an SSH connection's does. */
  private static Host connection(AtomicBoolean open) {
    return (Host) Proxy.newProxyInstance(
        Host.class.getClassLoader(),
        new Class<?>[] {Host.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "isOpen" -> open.get();
          case "close" -> {
            open.set(false);
            yield null;
          }
          case "name" -> "web-2";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void aConnectionThatDropped_isMadeAnew_onItsNextUse_andOneThatLives_isReused() throws Exception {
    var made = new ArrayList<AtomicBoolean>();
    var hosts = new Hosts(List.of(new HostConnector() {
      @Override
      public boolean connects(HostSpec spec) {
        return true;
      }

      @Override
      public Host connect(HostSpec spec, Path specDir) {
        var open = new AtomicBoolean(true);
        made.add(open);
        return connection(open);
      }
    }));
    var spec = new HostSpec.Docker("web-2", HostSpec.Docker.DEFAULT_ENDPOINT);

    var first = hosts.get(spec, Path.of("."));
    assertThat(hosts.get(spec, Path.of("."))).isSameAs(first);
    made.getFirst().set(false); // the server rebooted

    var second = hosts.get(spec, Path.of("."));
    assertThat(second).isNotSameAs(first);
    assertThat(second.isOpen()).isTrue();
    assertThat(made).hasSize(2);
    assertThat(hosts.get(spec, Path.of("."))).isSameAs(second);
  }
}
