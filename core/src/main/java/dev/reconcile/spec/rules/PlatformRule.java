package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.spec.SpecDocument;
import dev.reconcile.spec.SpecPath;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Platform settings that must agree: the port range is ordered and unprivileged, ports are
 * 1-65535, the system-mode nginx keys are not set for the managed nginx, and the network pool is
 * an IPv4 range that holds whole /24s.
 */
final class PlatformRule implements SemanticRule {
  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    var platform = new Tree.At(SpecPath.of("platform"), doc.root().path("platform"));
    checkPortRange(doc, platform.get("ports"), out);
    var nginx = platform.get("nginx");
    var listen = nginx.get("listen");
    if (listen.node().isTextual()) {
      var text = listen.node().asText();
      checkPort(doc, listen, text.substring(text.lastIndexOf(':') + 1), out);
    }
    var system = "system".equals(nginx.node().path("mode").asText());
    if (!system) {
      for (var key : List.of("conf_dir", "reload_command", "test_command")) {
        if (nginx.node().has(key)) {
          out.add(doc.errorAtKey(
              nginx.path().child(key), "'" + key + "' applies only to mode: system"));
        }
      }
    }
    platform
        .fields("hosts")
        .map(h -> h.get("ssh"))
        .filter(s -> s.node().isTextual())
        .forEach(ssh -> {
          var text = ssh.node().asText();
          var colon = text.lastIndexOf(':');
          if (colon > 0) {
            checkPort(doc, ssh, text.substring(colon + 1), out);
          }
        });
    platform
        .fields("hosts")
        .filter(h -> Stream.of("docker", "ssh", "swarm").filter(h.node()::has).count() > 1)
        .filter(h -> !(h.node().has("ssh")
            && h.node().path("swarm").isBoolean()
            && !h.node().has("docker")))
        .forEach(
            h -> out.add(
                doc.errorAtKey(
                    h.path(),
                    "host '" + h.name()
                        + "' sets more than one of docker, ssh and swarm: choose one (swarm: true goes with ssh)")));
    platform
        .fields("hosts")
        .filter(h -> h.node().path("swarm").isBoolean() && !h.node().has("ssh"))
        .forEach(
            h -> out.add(
                doc.errorAtValue(
                    h.path().child("swarm"),
                    "swarm: true is for an ssh host; "
                        + "for this machine's engine give its endpoint, e.g. swarm: unix:///var/run/docker.sock")));
    // A host of this machine is served by platform.nginx; only a server has a front door of its
    // own.
    platform
        .fields("hosts")
        .filter(h -> !h.node().has("ssh"))
        .forEach(h -> Stream.of("nginx", "state_dir", "identity", "known_hosts")
            .filter(key -> h.node().has(key))
            .forEach(key -> out.add(doc.errorAtKey(
                h.path().child(key),
                "host '" + h.name() + "' sets " + key + ", which only an ssh host has"))));
    var stateHost = platform.get("state_host");
    if (stateHost.node().isTextual() && !stateHost.node().asText().equals("local")) {
      var named = platform.get("hosts").get(stateHost.node().asText());
      if (named.node().isMissingNode() || !named.node().has("ssh")) {
        out.add(doc.errorAtValue(
            stateHost.path(),
            "state_host '" + stateHost.node().asText() + "' is not an ssh host "
                + "of platform.hosts; name one (its state_dir keeps the state) or write local"));
      }
    }
    var pool = platform.get("networks").get("pool");
    if (pool.node().isTextual()) {
      checkPool(doc, pool, out);
    }
    platform
        .fields("hosts")
        .filter(h -> h.node().has("task_ports") && !h.node().has("swarm"))
        .forEach(h -> out.add(doc.errorAtKey(
            h.path().child("task_ports"),
            "host '" + h.name() + "' sets task_ports, which only a swarm host has")));
    return out.stream();
  }

  /** An IPv4 range of at least one /24, at most a /8. */
  private static void checkPool(SpecDocument doc, Tree.At pool, List<Diagnostic> out) {
    var text = pool.node().asText();
    var slash = text.indexOf('/');
    var octets = text.substring(0, slash).split("\\.");
    var prefix = Integer.parseInt(text.substring(slash + 1));
    if (Stream.of(octets).anyMatch(o -> Integer.parseInt(o) > 255)) {
      out.add(doc.errorAtValue(pool.path(), "'" + text + "' is not an IPv4 range"));
    } else if (prefix < 8 || prefix > 24) {
      out.add(doc.errorAtValue(
              pool.path(), "the network pool's prefix must be from /8 to /24, not /" + prefix)
          .withHint("each project environment takes two /24 subnets from it"));
    }
  }

  private static void checkPortRange(SpecDocument doc, Tree.At ports, List<Diagnostic> out) {
    var text = ports.node().asText("");
    if (!ports.node().isTextual() || !text.matches("[0-9]{1,5}-[0-9]{1,5}")) {
      return;
    }
    var first = Integer.parseInt(text.substring(0, text.indexOf('-')));
    var last = Integer.parseInt(text.substring(text.indexOf('-') + 1));
    if (first > last) {
      out.add(doc.errorAtValue(
          ports.path(), "port range '" + text + "' is empty: " + first + " is above " + last));
    } else if (first < 1024 || last > 65535) {
      out.add(
          doc.errorAtValue(ports.path(), "port range '" + text + "' must lie within 1024-65535"));
    }
  }

  private static void checkPort(SpecDocument doc, Tree.At at, String digits, List<Diagnostic> out) {
    if (!digits.matches("[0-9]{1,5}")) {
      return;
    }
    var port = Integer.parseInt(digits);
    if (port < 1 || port > 65535) {
      out.add(doc.errorAtValue(at.path(), "port " + port + " is not within 1-65535"));
    }
  }
}
