package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.spec.SpecDocument;
import dev.reconcile.util.Texts;
import java.util.ArrayList;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * health.path and smoke[].path become the target of an HTTP request, so each must be a URL path
 * (with an optional query) as RFC 3986 writes it: no spaces, no line breaks, no '#', every '%'
 * followed by two hex digits. Anything else could smuggle headers or a second request.
 */
final class ProbePathRule implements SemanticRule {
  private static final String PCHAR = "[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2}";
  private static final Pattern URL_PATH =
      Pattern.compile("/(?:" + PCHAR + ")*(?:\\?(?:" + PCHAR + "|\\?)*)?");

  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    Tree.projects(doc).flatMap(Tree::allContainers).forEach(container -> {
      var health = container.get("health").get("path");
      if (health.node().isTextual()) {
        problem("health.path", health.node().asText())
            .ifPresent(p -> out.add(doc.errorAtValue(health.path(), p)));
      }
      container
          .items("smoke")
          .map(s -> s.get("path"))
          .filter(p -> p.node().isTextual())
          .forEach(path -> problem("smoke path", path.node().asText())
              .ifPresent(p -> out.add(doc.errorAtValue(path.path(), p))));
    });
    return out.stream();
  }

  static Optional<String> problem(String what, String path) {
    if (!path.startsWith("/") || URL_PATH.matcher(path).matches()) {
      return Optional.empty(); // A missing '/' is the schema's to report.
    }
    return Optional.of(
        what + " '" + Texts.shown(path) + "' is not a URL path: it may hold letters, "
            + "digits, - . _ ~ / ? and RFC 3986's sub-delimiters, and '%' only before two hex digits "
            + "(no spaces, line breaks or '#')");
  }
}
