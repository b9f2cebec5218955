package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.spec.SpecDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.stream.Stream;

/**
 * Names the tool joins must stay apart once joined: containers are named {@code
 * project-component-environment-slot} and volumes {@code project-environment-volume}, so
 * project {@code a-b} with container {@code c} and project {@code a} with container {@code b-c}
 * would claim one Docker name, and every apply would fail on it.
 */
final class NameRule implements SemanticRule {
  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    var containers = new HashMap<String, Tree.At>();
    var volumes = new HashMap<String, Tree.At>();
    Tree.projects(doc).forEach(project -> {
      var environments = project.fields("domains").map(Tree.At::name).toList();
      Tree.containers(project).forEach(container -> {
        for (var environment : environments) {
          claim(
              doc,
              containers,
              project.name() + "-" + container.name() + "-" + environment,
              container,
              "container",
              out);
        }
        container.fields("volumes").forEach(volume -> {
          for (var environment : environments) {
            claim(
                doc,
                volumes,
                project.name() + "-" + environment + "-" + volume.name(),
                volume,
                "volume",
                out);
          }
        });
      });
    });
    return out.stream();
  }

  private static void claim(
      SpecDocument doc,
      HashMap<String, Tree.At> seen,
      String joined,
      Tree.At at,
      String what,
      ArrayList<Diagnostic> out) {
    var first = seen.putIfAbsent(joined, at);
    if (first != null && !first.path().equals(at.path()) && !sharedVolume(first, at)) {
      out.add(doc.errorAtKey(
              at.path(),
              what + " name '" + joined + "' is also the name of " + first.path()
                  + " once project, name and environment are joined")
          .withHint("rename one of them; names are joined with '-'"));
    }
  }

  /** Two containers of one project that mount a volume of one name share it: intended. */
  private static boolean sharedVolume(Tree.At first, Tree.At at) {
    return first.path().segments().get(1).equals(at.path().segments().get(1))
        && first.name().equals(at.name());
  }
}
