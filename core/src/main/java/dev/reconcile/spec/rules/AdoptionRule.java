package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.spec.SpecDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.stream.Stream;

/**
 * A site file taken over belongs to a system nginx (the managed one has none but reconcile's), and
 * is not the one reconcile writes for the environment (taken over and written, it would be lost),
 * and one compose project or container is taken over by one environment only: two would stop it
 * twice and argue over who starts it again.
 */
final class AdoptionRule implements SemanticRule {
  /** Whether a path is where reconcile installs the environment's own site file (conf_dir/P.E.conf). */
  private static boolean isOurs(SpecDocument doc, String site, String project, String env) {
    var confDir = Path.of(
        doc.root().path("platform").path("nginx").path("conf_dir").asText("/etc/nginx/conf.d"));
    var path = Path.of(site).normalize();
    var parent = path.getParent();
    return path.getFileName() != null
        && path.getFileName().toString().equals(project + "." + env + ".conf")
        && parent != null
        && (confDir.isAbsolute() ? parent.equals(confDir.normalize()) : parent.endsWith(confDir));
  }

  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    var system =
        "system".equals(doc.root().path("platform").path("nginx").path("mode").asText());
    var takenBy = new HashMap<String, String>();
    Tree.projects(doc)
        .forEach(project -> project.fields("environments").forEach(env -> {
          var adopt = env.get("adopt");
          var where = project.name() + "'s " + env.name();
          var site = adopt.get("site");
          if (site.node().isTextual() && !system) {
            out.add(doc.errorAtKey(
                site.path(),
                "adopt.site takes over a file of the system's nginx; platform.nginx.mode is managed,"
                    + " whose sites are all reconcile's (set mode: system, or remove site)"));
          } else if (site.node().isTextual()
              && isOurs(doc, site.node().asText(), project.name(), env.name())) {
            out.add(doc.errorAtValue(
                site.path(),
                "the site file to take over is the one reconcile writes for " + where
                    + " itself: rename it first (e.g. to " + project.name()
                    + ".conf), then name that"));
          }
          var compose = adopt.get("compose");
          if (compose.node().isTextual()) {
            var other = takenBy.putIfAbsent("compose project " + compose.node().asText(), where);
            if (other != null) {
              out.add(doc.errorAtValue(
                  compose.path(),
                  "compose project " + compose.node().asText() + " is adopted by " + other
                      + " already; one environment takes it over"));
            }
          }
          adopt.items("containers").forEach(c -> {
            var other = takenBy.putIfAbsent("container " + c.node().asText(), where);
            if (other != null) {
              out.add(doc.errorAtValue(
                  c.path(),
                  "container " + c.node().asText() + " is adopted by " + other
                      + " already; one environment takes it over"));
            }
          });
        }));
    return out.stream();
  }
}
