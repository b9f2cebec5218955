package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.spec.SpecDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Replicas are a swarm's: on a host that runs containers one slot at a time (blue-green), more than
 * one copy of a container has nowhere to go. The Kubernetes export reads them all the same. Release
 * commands, shared containers and adopted volumes are not built for swarm hosts yet.
 */
final class SwarmRule implements SemanticRule {
  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    var hosts = doc.root().path("platform").path("hosts");
    Tree.projects(doc).forEach(project -> {
      var host = project.node().path("host").asText("local");
      var swarm = hosts.path(host).has("swarm");
      if (swarm) {
        for (var key : List.of("release", "shared_with")) {
          Tree.allContainers(project)
              .filter(c -> c.node().has(key))
              .forEach(c -> out.add(doc.errorAtKey(
                  c.path().child(key),
                  key + " is not available on a swarm host yet ('" + host + "'): "
                      + "it needs a network the host's engine attaches one-off containers to")));
        }
        // A volume taken over is a bind on one node; a task may run on any.
        project
            .fields("environments")
            .map(env -> env.get("adopt"))
            .filter(a -> !a.node().isMissingNode())
            .forEach(a -> out.add(doc.errorAtKey(
                a.path(),
                "adopt is not available on a swarm host ('" + host + "'): a volume taken over"
                    + " stays on one node, and a task may run on any")));
        return;
      }
      Tree.allContainers(project)
          .map(c -> c.get("replicas"))
          .filter(r -> r.node().isInt() && r.node().asInt() != 1)
          .forEach(r -> out.add(doc.errorAtValue(
              r.path(),
              "replicas: " + r.node().asInt()
                  + " needs a swarm host (platform.hosts.NAME: { swarm: unix:///var/run/docker.sock }); host '"
                  + host + "' runs one container per slot")));
    });
    return out.stream();
  }
}
