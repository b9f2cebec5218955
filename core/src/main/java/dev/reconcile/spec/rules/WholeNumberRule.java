package dev.reconcile.spec.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reconcile.diag.Diagnostic;
import dev.reconcile.spec.SpecDocument;
import dev.reconcile.spec.SpecPath;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every number of the spec is whole (ports, retries, statuses, counts), except env values,
 * which are text to the container, and a CPU share ({@code resources.cpus: 0.5}). JSON Schema counts 8080.0 as an integer; YAML wrote a
 * decimal, which is almost always a typo, so it is refused where it was written.
 */
final class WholeNumberRule implements SemanticRule {
  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    walk(doc, SpecPath.ROOT, doc.root(), out);
    return out.stream();
  }

  private static void walk(SpecDocument doc, SpecPath path, JsonNode node, List<Diagnostic> out) {
    if (node.isFloatingPointNumber() && !path.last().equals("cpus")) {
      out.add(doc.errorAtValue(
          path, "'" + path.last() + "' is " + node.asText() + ", a decimal; write a whole number"));
    } else if (node.isObject()) {
      node.properties().forEach(e -> {
        if (!e.getKey().equals("env")) {
          walk(doc, path.child(e.getKey()), e.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(doc, path.child(i), node.get(i), out);
      }
    }
  }
}
