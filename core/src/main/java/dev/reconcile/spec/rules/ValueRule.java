package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.model.EnvValue;
import dev.reconcile.spec.Interpolation;
import dev.reconcile.spec.SpecDocument;
import dev.reconcile.spec.SpecPath;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Values that reach a process or a file are single-line text with well-formed {@code ${VAR}}
 * references: env values, the webhook URL, the registry password, and env_file (whose only placeholder is
 * {@code {environment}}).
 */
final class ValueRule implements SemanticRule {
  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    Tree.projects(doc)
        .flatMap(Tree::allContainers)
        .flatMap(c -> c.fields("env"))
        .map(v -> v.node().isObject() ? v.get("value") : v) // { value: ..., secret: true }
        .filter(v -> v.node().isTextual())
        .forEach(v -> checkValue(doc, v, out));
    var webhook = new Tree.At(
        SpecPath.of("platform", "notify", "webhook"),
        doc.root().path("platform").path("notify").path("webhook"));
    if (webhook.node().isTextual()) {
      checkValue(doc, webhook, out);
    }
    var password = new Tree.At(
        SpecPath.of("platform", "registry", "password"),
        doc.root().path("platform").path("registry").path("password"));
    if (password.node().isTextual()) {
      checkValue(doc, password, out);
      if (!new EnvValue(password.node().asText()).isInterpolated()) {
        out.add(Diagnostic.warning(
                doc.valuePosition(password.path()),
                password.path().toString(),
                "the registry password is written in the spec, where everyone with the repository reads it")
            .withHint(
                "write password: ${REGISTRY_PASSWORD} and set it in the environment of apply"));
      }
    }
    Tree.projects(doc)
        .map(p -> p.get("env_file"))
        .filter(f -> f.node().isTextual())
        .forEach(f -> checkEnvFile(doc, f, out));
    return out.stream();
  }

  private static void checkValue(SpecDocument doc, Tree.At value, List<Diagnostic> out) {
    var text = value.node().asText();
    var name = "'" + value.name() + "'";
    if (text.indexOf('\0') >= 0) {
      out.add(doc.errorAtValue(value.path(), name + " holds a NUL byte"));
    } else if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      out.add(doc.errorAtValue(value.path(), name + " holds a line break")
          .withHint("values are one line; put multi-line secrets in a file on a volume"));
    } else if (Interpolation.parse(text) instanceof Interpolation.Parsed.Error e) {
      out.add(doc.errorAtValue(value.path(), name + ": " + e.problem())
          .withHint("write $$ for a literal '$'"));
    }
  }

  private static void checkEnvFile(SpecDocument doc, Tree.At file, List<Diagnostic> out) {
    var rest = file.node().asText().replace("{environment}", "");
    if (rest.contains("{") || rest.contains("}")) {
      out.add(doc.errorAtValue(file.path(), "env_file may use only the placeholder {environment}"));
    } else if (rest.indexOf('\0') >= 0 || rest.indexOf('\n') >= 0) {
      out.add(doc.errorAtValue(file.path(), "env_file must be a one-line path"));
    }
  }
}
