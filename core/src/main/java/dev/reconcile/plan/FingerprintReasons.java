package dev.reconcile.plan;

import dev.reconcile.desired.ContainerFingerprint;
import dev.reconcile.desired.Networking;
import dev.reconcile.desired.Route;
import dev.reconcile.desired.SiteFingerprint;
import dev.reconcile.model.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Names the fields that differ between what was recorded and what is declared. */
final class FingerprintReasons {
  private FingerprintReasons() {}

  /**
   * Reasons a container differs. Env names in {@code unknown} are skipped: their value is not
   * known where the plan runs.
   */
  static List<Reason> container(
      ContainerFingerprint before, ContainerFingerprint after, Set<String> unknown) {
    return container(before, after, unknown, false);
  }

  /**
   * @param bridged the container was found on Docker's default bridge (made before networks);
   *     else one without a network of names is on the host's egress network
   */
  static List<Reason> container(
      ContainerFingerprint before,
      ContainerFingerprint after,
      Set<String> unknown,
      boolean bridged) {
    var reasons = new ArrayList<Reason>();
    if (!before.image().equals(after.image())) {
      reasons.add(image(before.image(), after.image()));
    }
    if (!before.port().equals(after.port())) {
      reasons.add(Reason.changed("port", portText(before), portText(after)));
    }
    var secret = new TreeSet<>(before.secretEnv());
    secret.addAll(after.secretEnv());
    mapReasons("env", before.env(), after.env(), secret, unknown, reasons);
    mapReasons("volume", before.volumes(), after.volumes(), Set.of(), Set.of(), reasons);
    if (!before.resources().equals(after.resources())) {
      reasons.add(
          Reason.changed("resources", limits(before.resources()), limits(after.resources())));
    }
    if (!before.network().equals(after.network())) {
      reasons.add(Reason.of(
          "network",
          after
                  .network()
                  .map(n -> "joins network " + n)
                  .orElseGet(() -> "leaves network " + before.network().orElseThrow())
              + " (was "
              + before
                  .network()
                  .map(n -> "on " + n)
                  .orElse(
                      bridged
                          ? "on Docker's default bridge, where no name resolves"
                          : "on the host's " + Networking.EGRESS
                              + " alone, where its environment's names do not resolve")
              + ")"));
    }
    if (!before.sharedNetworks().equals(after.sharedNetworks())) {
      reasons.add(Reason.changed(
          "shared_with", listText(before.sharedNetworks()), listText(after.sharedNetworks())));
    }
    if (!before.healthCommand().equals(after.healthCommand())) {
      reasons.add(Reason.changed(
          "health command",
          commandText(before.healthCommand()).replace("(image default)", "none"),
          commandText(after.healthCommand()).replace("(image default)", "none")));
    }
    if (!before.command().equals(after.command())) {
      reasons.add(
          Reason.changed("command", commandText(before.command()), commandText(after.command())));
    }
    if (!before.stopGrace().equals(after.stopGrace())) {
      reasons.add(Reason.changed(
          "stop_grace", graceText(before.stopGrace()), graceText(after.stopGrace())));
    }
    return reasons;
  }

  private static String graceText(Optional<Duration> grace) {
    return grace.map(g -> g.toSeconds() + "s").orElse("the engine's 10s");
  }

  private static String limits(Optional<Resources> resources) {
    return resources
        .map(r -> r.cpus().map(c -> c + " CPUs").orElse("any CPUs") + ", "
            + (r.memory().isPresent() ? (r.memory().getAsLong() >> 20) + " MiB" : "any memory"))
        .orElse("no limits");
  }

  static List<Reason> site(SiteFingerprint before, SiteFingerprint after) {
    var reasons = new ArrayList<Reason>();
    for (var domain : after.domains()) {
      if (!before.domains().contains(domain)) {
        reasons.add(Reason.of("domains", "domain " + domain + " added"));
      }
    }
    for (var domain : before.domains()) {
      if (!after.domains().contains(domain)) {
        reasons.add(Reason.of("domains", "domain " + domain + " removed"));
      }
    }
    mapReasons("route", routes(before), routes(after), Set.of(), Set.of(), reasons);
    if (!before.listen().equals(after.listen())) {
      reasons.add(Reason.changed("listen", orDefault(before.listen()), orDefault(after.listen())));
    }
    if (!before.tls().equals(after.tls())) {
      reasons.add(tlsReason(before.tls(), after.tls()));
    }
    if (!before.front().equals(after.front())) {
      reasons.addAll(frontReasons(before.front(), after.front()));
    }
    return reasons;
  }

  private static List<Reason> frontReasons(
      Optional<SiteFingerprint.Front> before, Optional<SiteFingerprint.Front> after) {
    if (before.isEmpty() || after.isEmpty()) {
      return List.of(Reason.of(
          "front",
          "rendered anew: WebSockets pass, uploads up to each container's max_body, "
              + "gzip, security headers, an access log"));
    }
    var reasons = new ArrayList<Reason>();
    var b = before.get();
    var a = after.get();
    var components = new TreeSet<>(b.proxies().keySet());
    components.addAll(a.proxies().keySet());
    for (var component : components) {
      var was = b.proxies().get(component);
      var now = a.proxies().get(component);
      if (was == null || now == null || was.equals(now)) {
        continue;
      }
      if (was.maxBody() != now.maxBody()) {
        reasons.add(
            Reason.changed("max_body " + component, bytes(was.maxBody()), bytes(now.maxBody())));
      }
      if (!was.timeout().equals(now.timeout())) {
        reasons.add(Reason.changed(
            "timeout " + component,
            was.timeout().toSeconds() + " s",
            now.timeout().toSeconds() + " s"));
      }
      if (was.buffering() != now.buffering()) {
        reasons.add(Reason.changed(
            "buffering " + component,
            String.valueOf(was.buffering()),
            String.valueOf(now.buffering())));
      }
    }
    mapReasons("header", b.headers(), a.headers(), Set.of(), Set.of(), reasons);
    if (!b.snippet().equals(a.snippet())) {
      reasons.add(Reason.of(
          "snippet",
          a.snippet()
              .map(s -> s.equals("unreadable")
                  ? "the nginx snippet cannot be read here; apply refuses until it can"
                  : b.snippet().isPresent() ? "nginx snippet changed" : "nginx snippet added")
              .orElse("nginx snippet removed")));
    }
    return reasons;
  }

  private static String bytes(long bytes) {
    if (bytes == 0) {
      return "no limit";
    }
    return bytes % (1 << 30) == 0
        ? (bytes >> 30) + "g"
        : bytes % (1 << 20) == 0
            ? (bytes >> 20) + "m"
            : bytes % (1 << 10) == 0 ? (bytes >> 10) + "k" : String.valueOf(bytes);
  }

  private static Reason tlsReason(
      Optional<SiteFingerprint.Tls> before, Optional<SiteFingerprint.Tls> after) {
    if (before.isEmpty()) {
      return Reason.of(
          "tls", "served over HTTPS on " + after.get().listen() + "; plain HTTP redirects");
    }
    if (after.isEmpty()) {
      return Reason.of("tls", "served over plain HTTP only (tls: off)");
    }
    var b = before.get();
    var a = after.get();
    if (!b.listen().equals(a.listen())) {
      return Reason.changed("tls listen", b.listen(), a.listen());
    }
    if (b.hstsMaxAgeSeconds() != a.hstsMaxAgeSeconds()) {
      return Reason.changed("hsts", b.hstsMaxAgeSeconds() + " s", a.hstsMaxAgeSeconds() + " s");
    }
    return Reason.of("tls", "OCSP stapling " + (a.stapling() ? "on" : "off"));
  }

  /** {@code image ghcr.io/a/b:1.4.1 -> 1.4.2} when only the tag moved, else both in full. */
  static Reason image(String before, String after) {
    var colon = before.lastIndexOf(':');
    var sameRepository = colon > before.lastIndexOf('/')
        && after.startsWith(before.substring(0, colon + 1))
        && !before.contains("@")
        && !after.contains("@");
    return Reason.changed("image", before, sameRepository ? after.substring(colon + 1) : after);
  }

  private static void mapReasons(
      String field,
      Map<String, String> before,
      Map<String, String> after,
      Set<String> secret,
      Set<String> unknown,
      List<Reason> out) {
    var names = new TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    for (var name : names) {
      var was = before.get(name);
      var now = after.get(name);
      var key = field + " " + name;
      if (Objects.equals(was, now) || unknown.contains(name) && now != null) {
        continue;
      }
      var hidden = secret.contains(name);
      if (was == null) {
        out.add(Reason.of(key, key + " added" + (hidden ? " (value hidden)" : " = " + now)));
      } else if (now == null) {
        out.add(Reason.of(key, key + " removed"));
      } else {
        out.add(hidden ? Reason.hidden(key) : Reason.changed(key, was, now));
      }
    }
  }

  private static Map<String, String> routes(SiteFingerprint site) {
    return site.routes().stream()
        .collect(Collectors.toMap(Route::location, Route::component, (a, b) -> a, TreeMap::new));
  }

  private static String portText(ContainerFingerprint f) {
    return f.port().isPresent() ? String.valueOf(f.port().getAsInt()) : "none";
  }

  private static String commandText(List<String> command) {
    return command.isEmpty() ? "(image default)" : String.join(" ", command);
  }

  private static String listText(List<String> values) {
    return values.isEmpty() ? "none" : String.join(", ", values);
  }

  private static String orDefault(String listen) {
    return listen.isEmpty() ? "(nginx default)" : listen;
  }
}
