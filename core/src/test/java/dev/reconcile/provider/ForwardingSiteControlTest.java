package dev.reconcile.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A forwarding site control hands on every method of the interface, the default ones too: a
 * method added to SiteControl and not forwarded would let a plugin's front door silently answer
 * with the default instead of nginx's.
 */
class ForwardingSiteControlTest {
  private static Object someValue(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == Optional.class) {
      return Optional.empty();
    }
    if (type == List.class) {
      return List.of();
    }
    if (type == Map.class) {
      return Map.of();
    }
    return null;
  }

  @Test
  void everyMethodOfSiteControl_reachesTheDelegate() throws Exception {
    var reached = new ArrayList<String>();
    var delegate = (SiteControl) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {SiteControl.class}, (proxy, method, args) -> {
          reached.add(method.getName());
          return someValue(method.getReturnType());
        });
    var forwarding = new ForwardingSiteControl(delegate) {};

    var methods = new ArrayList<String>();
    for (Method method : SiteControl.class.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      var args = new Object[method.getParameterCount()];
      for (int i = 0; i < args.length; i++) {
        args[i] = someValue(method.getParameterTypes()[i]);
      }
      method.invoke(forwarding, args);
      methods.add(method.getName());
    }

    assertThat(reached).containsExactlyInAnyOrderElementsOf(methods);
    assertThat(methods).hasSizeGreaterThan(15);
  }
}
