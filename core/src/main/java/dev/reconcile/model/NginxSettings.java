package dev.reconcile.model;

import java.util.List;
import java.util.Optional;

/** How the nginx front door is run: by the tool itself, or the system's own. */
public sealed interface NginxSettings {
  /** Where the tool itself reaches nginx on this machine: smoke checks through it, reload checks. */
  record Address(String host, int port) {
    /**
     * For nginx listening on {@code listen} (HOST:PORT; empty means nginx's default, port 80 on
     * every address): loopback when it listens on every address, else that address.
     */
    public static Address probing(String listen) {
      var text = listen.isEmpty() ? "*:80" : listen;
      var colon = text.lastIndexOf(':');
      var host = text.substring(0, colon).replace("[", "").replace("]", "");
      var any = host.equals("*") || host.equals("0.0.0.0") || host.equals("::") || host.isEmpty();
      return new Address(any ? "127.0.0.1" : host, Integer.parseInt(text.substring(colon + 1)));
    }
  }

  /** Where the tool reaches this nginx: see {@link Address#probing}. */
  default Address probeAddress() {
    return Address.probing(switch (this) {
      case Managed m -> m.listenHost() + ":" + m.listenPort();
      case System s -> s.listen().orElse("");
    });
  }

  /** The tool runs its own nginx with a prefix in the state directory. */
  record Managed(String listenHost, int listenPort) implements NginxSettings {
    public static final Managed DEFAULT = new Managed("127.0.0.1", 8080);
  }

  /**
   * Site files go to {@code confDir}; {@code testCommand} judges the whole configuration and
   * {@code reloadCommand} runs once it passes. {@code listen}, when given, is written into every
   * site (else nginx's default applies: port 80).
   */
  record System(String confDir, List<String> reloadCommand, List<String> testCommand,
      Optional<String> listen) implements NginxSettings {
    public static final List<String> DEFAULT_RELOAD = List.of("nginx", "-s", "reload");
    public static final List<String> DEFAULT_TEST = List.of("nginx", "-t");

    public System {
      reloadCommand = List.copyOf(reloadCommand);
      testCommand = List.copyOf(testCommand);
    }
  }
}
