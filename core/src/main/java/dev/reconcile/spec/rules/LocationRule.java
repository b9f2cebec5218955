package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.spec.SpecDocument;
import dev.reconcile.util.Texts;
import java.util.ArrayList;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An api_location becomes an nginx {@code location} line, so it may hold only characters that
 * cannot end the directive or start another: no whitespace, quotes, ';', braces, '$' or '#'.
 */
final class LocationRule implements SemanticRule {
  private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");

  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    Tree.projects(doc)
        .flatMap(Tree::allContainers)
        .flatMap(c -> Tree.textItems(c.get("api_locations")))
        .forEach(location -> problem(location.node().asText())
            .ifPresent(p -> out.add(doc.errorAtValue(location.path(), p))));
    return out.stream();
  }

  static Optional<String> problem(String location) {
    var shown = "api_location '" + Texts.shown(location) + "'";
    if (!location.startsWith("/")) {
      return Optional.of(shown + " must start with '/'");
    }
    if (location.equals("/")) {
      return Optional.of(
          shown + ": '/' is served by the routed container that has no " + "api_locations");
    }
    if (!SAFE_PATH.matcher(location).matches()) {
      return Optional.of(shown + " may hold only letters, digits and . _ ~ / -");
    }
    if (location.contains("//") || location.matches(".*/\\.\\.?(/.*)?")) {
      return Optional.of(shown + " must not hold empty, '.' or '..' segments");
    }
    return Optional.empty();
  }
}
