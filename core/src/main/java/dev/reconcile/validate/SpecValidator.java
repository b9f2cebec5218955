package dev.reconcile.validate;

import dev.reconcile.spec.SchemaCheck;
import dev.reconcile.spec.SpecBinder;
import dev.reconcile.spec.SpecLoader;
import dev.reconcile.spec.rules.SemanticRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The entry point of the spec arrow: load, check the schema, run the semantic rules, bind. Every
 * stage runs on whatever the previous one could read, so that one run reports all mistakes.
 * Thread-safe; build one and reuse it (the schema is parsed once).
 */
public final class SpecValidator {
  private final SpecLoader loader;
  private final SchemaCheck schema;
  private final List<SemanticRule> rules;

  public SpecValidator(SpecLoader loader, SchemaCheck schema, List<SemanticRule> rules) {
    this.loader = loader;
    this.schema = schema;
    this.rules = List.copyOf(rules);
  }

  public static SpecValidator standard() {
    return new SpecValidator(new SpecLoader(), SchemaCheck.projects(), SemanticRule.all());
  }

  /** Validates a file, naming it {@code shownAs} in diagnostics. */
  public ValidatedSpec validate(Path file, String shownAs) {
    return check(loader.load(file, shownAs));
  }

  /** Validates bytes as if read from a file named {@code shownAs}. */
  public ValidatedSpec validate(byte[] bytes, String shownAs) {
    return check(loader.parse(bytes, shownAs));
  }

  private ValidatedSpec check(SpecLoader.Loaded loaded) {
    if (loaded.document().isEmpty()) {
      return new ValidatedSpec(loaded.diagnostics(), Optional.empty());
    }
    var document = loaded.document().get();
    var diagnostics = loaded.diagnostics().plus(schema.check(document));
    for (var rule : rules) {
      diagnostics = diagnostics.plus(rule.check(document));
    }
    if (diagnostics.hasErrors()) {
      return new ValidatedSpec(diagnostics, Optional.empty());
    }
    return new ValidatedSpec(diagnostics, Optional.of(SpecBinder.bind(document.root())));
  }
}
