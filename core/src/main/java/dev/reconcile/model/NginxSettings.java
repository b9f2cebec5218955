package dev.reconcile.model;

import java.util.List;
import java.util.Optional;

/** How the nginx front door is run: by the tool itself, or the system's own. */
public sealed interface NginxSettings {
  /** Where the tool itself reaches nginx on this machine: smoke checks through it, reload checks. */
  record Address(String host, int port) {}

  /**
   * The loopback address when nginx listens on every address (or, in system mode without a
   * {@code listen}, on nginx's default port 80), else the address it listens on.
   */
  default Address probeAddress() {
    var listen = switch (this) {
      case Managed m -> m.listenHost() + ":" + m.listenPort();
      case System s -> s.listen().orElse("*:80");
    };
    var colon = listen.lastIndexOf(':');
    var host = listen.substring(0, colon).replace("[", "").replace("]", "");
    var any = host.equals("*") || host.equals("0.0.0.0") || host.equals("::") || host.isEmpty();
    return new Address(any ? "127.0.0.1" : host, Integer.parseInt(listen.substring(colon + 1)));
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
