package dev.reconcile.cli;

import dev.reconcile.execute.Cancellation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * SIGTERM and SIGINT while an apply or rollback runs: the first cancels it (it stops at its next
 * step, rolls back what it started, records the snapshot, releases its locks, exits non-zero); a
 * second ends the process at once. {@code timeout}, CI runners and systemd send SIGTERM.
 *
 * <p>Only {@code sun.misc.Signal} (module jdk.unsupported) lets a Java process handle a signal.
 * It is reached through method handles: javac warns on every mention of it, no option silences
 * that warning, and the build fails on warnings.
 */
final class Signals implements Caller.Handle {
  private static final String[] NAMES = {"TERM", "INT"};
  private final List<Runnable> restore = new ArrayList<>();

  private Signals() {}

  /** sun.misc.Signal and what is used of it; null when this JVM has none. */
  private record Api(
      Class<?> handlerType,
      MethodHandle make,
      MethodHandle handle,
      MethodHandle name,
      MethodHandle number) {
    static @Nullable Api find() {
      try {
        var signal = Class.forName("sun.misc.Signal");
        var handler = Class.forName("sun.misc.SignalHandler");
        var lookup = MethodHandles.publicLookup();
        return new Api(
            handler,
            lookup.findConstructor(signal, MethodType.methodType(void.class, String.class)),
            lookup.findStatic(signal, "handle", MethodType.methodType(handler, signal, handler)),
            lookup.findVirtual(signal, "getName", MethodType.methodType(String.class)),
            lookup.findVirtual(signal, "getNumber", MethodType.methodType(int.class)));
      } catch (ReflectiveOperationException e) {
        return null;
      }
    }
  }

  private static final @Nullable Api API = Api.find();

  /** Installs the handlers until closed; {@code said} hears about the first signal. */
  static Signals cancelOn(Cancellation cancellation, Consumer<String> said) {
    var signals = new Signals();
    if (API == null) {
      return signals; // no way to handle signals here: the JVM's defaults stay
    }
    for (var name : NAMES) {
      try {
        var signal = API.make().invoke(name);
        var handler = Proxy.newProxyInstance(
            Signals.class.getClassLoader(),
            new Class<?>[] {API.handlerType()},
            (proxy, method, args) -> {
              if (!method.getName().equals("handle")) {
                return method.getName().equals("toString")
                    ? "reconcile's signal handler"
                    : method.getName().equals("hashCode")
                        ? System.identityHashCode(proxy)
                        : proxy == args[0];
              }
              var got = "SIG" + (String) API.name().invoke(args[0]);
              if (cancellation.reason().isPresent()) {
                Runtime.getRuntime().halt(128 + (int) API.number().invoke(args[0]));
              }
              cancellation.cancel("stopped by " + got);
              said.accept(got);
              return null;
            });
        var previous = API.handle().invoke(signal, handler);
        signals.restore.add(() -> {
          try {
            API.handle().invoke(signal, previous);
          } catch (Throwable e) {
            // The process is ending; the handler stays.
          }
        });
      } catch (IllegalArgumentException e) {
        continue; // The JVM runs with -Xrs or the signal is reserved: the default stays.
      } catch (Throwable e) {
        throw new IllegalStateException("cannot handle SIG" + name + ": " + e, e);
      }
    }
    return signals;
  }

  @Override
  public void close() {
    restore.forEach(Runnable::run);
  }
}
