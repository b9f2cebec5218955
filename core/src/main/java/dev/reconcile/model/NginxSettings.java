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
    return Address.probing(
        switch (this) {
          case Managed m -> m.listenHost() + ":" + m.listenPort();
          case System s -> s.listen().orElse("");
        });
  }

  /**
   * Where HTTPS is served ({@code listen_tls}): HOST:PORT, or a port alone (every address for the
   * system nginx, the {@code listen} address for the managed one). Used only by sites with TLS.
   */
  String listenTls();

  /** The port HTTPS is served on. */
  default int tlsPort() {
    var text = listenTls();
    return Integer.parseInt(text.substring(text.lastIndexOf(':') + 1));
  }

  /** Where the tool reaches this nginx over HTTPS. */
  default Address tlsProbeAddress() {
    return Address.probing(listenTls().contains(":") ? listenTls() : "*:" + listenTls());
  }

  /** The default {@code listen_tls}: the port browsers use. */
  String DEFAULT_TLS_PORT = "443";

  /** The tool runs its own nginx with a prefix in the state directory. */
  record Managed(String listenHost, int listenPort, String listenTls) implements NginxSettings {
    public static final Managed DEFAULT = new Managed("127.0.0.1", 8080);

    public Managed(String listenHost, int listenPort) {
      this(listenHost, listenPort, listenHost + ":" + DEFAULT_TLS_PORT);
    }

    public Managed {
      // A port alone listens where plain HTTP does.
      listenTls = listenTls.contains(":") ? listenTls : listenHost + ":" + listenTls;
    }
  }

  /**
   * Site files go to {@code confDir}; {@code testCommand} judges the whole configuration and
   * {@code reloadCommand} runs once it passes. {@code listen}, when given, is written into every
   * site (else nginx's default applies: port 80).
   */
  record System(
      String confDir,
      List<String> reloadCommand,
      List<String> testCommand,
      Optional<String> listen,
      String listenTls)
      implements NginxSettings {
    public static final List<String> DEFAULT_RELOAD = List.of("nginx", "-s", "reload");
    public static final List<String> DEFAULT_TEST = List.of("nginx", "-t");

    public System(
        String confDir,
        List<String> reloadCommand,
        List<String> testCommand,
        Optional<String> listen) {
      this(confDir, reloadCommand, testCommand, listen, DEFAULT_TLS_PORT);
    }

    public System {
      reloadCommand = List.copyOf(reloadCommand);
      testCommand = List.copyOf(testCommand);
    }
  }
}
