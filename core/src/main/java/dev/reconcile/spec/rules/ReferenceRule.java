package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.model.Platform;
import dev.reconcile.spec.SpecDocument;
import dev.reconcile.spec.SpecPath;
import dev.reconcile.util.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Names that refer to something declared elsewhere resolve: environment overrides name an
 * environment (a key of domains) and a container, adopted and backup volumes name a declared
 * volume, backup
 * databases name a container, and a
 * project's host names a host (one without a host runs on {@code local}, which must then be declared).
 */
final class ReferenceRule implements SemanticRule {
  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    var hosts = hostNames(doc);
    Tree.projects(doc).forEach(project -> {
      var environments = names(project.fields("domains"));
      var containers = names(Tree.containers(project));
      project.fields("environments").forEach(env -> {
        if (!environments.contains(env.name())) {
          out.add(unknown(
              doc,
              env.path(),
              "environment",
              env.name(),
              environments,
              "the environments of a project are the keys of its domains"));
        }
        env.fields("containers")
            .filter(c -> !containers.contains(c.name()))
            .forEach(c -> out.add(unknown(
                doc,
                c.path(),
                "container",
                c.name(),
                containers,
                "an override changes a container declared under the project's containers")));
      });
      var volumes = names(Tree.allContainers(project).flatMap(c -> c.fields("volumes")));
      project
          .fields("environments")
          .flatMap(env -> env.get("adopt").fields("volumes"))
          .filter(v -> !volumes.contains(v.name()))
          .forEach(v -> out.add(unknown(
              doc,
              v.path(),
              "volume",
              v.name(),
              volumes,
              "adopt.volumes names volumes declared by the project's containers")));
      Tree.textItems(project.get("backup").get("volumes"))
          .filter(v -> !volumes.contains(v.node().asText()))
          .forEach(v -> out.add(unknownValue(
              doc,
              v,
              "volume",
              volumes,
              "backup volumes name volumes declared by the project's containers")));
      project
          .get("backup")
          .fields("databases")
          .map(d -> d.get("container"))
          .filter(c -> c.node().isTextual())
          .filter(c -> !containers.contains(c.node().asText()))
          .forEach(c -> out.add(unknownValue(
              doc,
              c,
              "container",
              containers,
              "a database is dumped inside one of the project's containers")));
      var host = project.get("host");
      if (host.node().isTextual() && !hosts.contains(host.node().asText())) {
        out.add(unknownValue(doc, host, "host", hosts, "hosts are declared under platform.hosts"));
      } else if (host.node().isMissingNode() && !hosts.contains(Platform.DEFAULT_HOST)) {
        // Declaring platform.hosts replaces the default one: a project without a host has none.
        out.add(doc.errorAtKey(
                project.path(),
                "project '" + project.name() + "' names no host, and platform.hosts "
                    + "declares no '" + Platform.DEFAULT_HOST + "'")
            .withHint("give it one of " + String.join(", ", hosts)
                + " (host: NAME), or declare this machine's engine: " + Platform.DEFAULT_HOST
                + ": { docker: unix:///var/run/docker.sock }"));
      }
    });
    return out.stream();
  }

  private static Set<String> hostNames(SpecDocument doc) {
    var hosts = doc.root().path("platform").path("hosts");
    if (!hosts.isObject()) {
      return Set.of(Platform.DEFAULT_HOST);
    }
    return names(Tree.fields(SpecPath.of("platform", "hosts"), hosts));
  }

  private static Set<String> names(Stream<Tree.At> nodes) {
    var names = new LinkedHashSet<String>();
    nodes.forEach(n -> names.add(n.name()));
    return names;
  }

  private static Diagnostic unknown(
      SpecDocument doc,
      SpecPath path,
      String what,
      String name,
      Set<String> known,
      String explanation) {
    return withHint(
        doc.errorAtKey(path, "unknown " + what + " '" + name + "'"), name, known, explanation);
  }

  private static Diagnostic unknownValue(
      SpecDocument doc, Tree.At at, String what, Set<String> known, String explanation) {
    var name = at.node().asText();
    return withHint(
        doc.errorAtValue(at.path(), "unknown " + what + " '" + name + "'"),
        name,
        known,
        explanation);
  }

  private static Diagnostic withHint(
      Diagnostic d, String name, Set<String> known, String explanation) {
    return Suggestions.closest(name, known)
        .map(s -> d.withHint("did you mean '" + s + "'?"))
        .orElseGet(() -> d.withHint(explanation
            + (known.isEmpty() ? "" : " (" + String.join(", ", List.copyOf(known)) + ")")));
  }
}
