package dev.reconcile.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ${VAR}} and {@code ${VAR:-default}} in string values; {@code $$} is a literal dollar.
 * Checking the syntax needs no values; resolving happens late, when the values are needed.
 */
public final class Interpolation {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Interpolation() {}

  /** A part of a template: literal text or a reference. */
  sealed interface Part {
    record Text(String text) implements Part {}

    record Ref(String name, Optional<String> fallback) implements Part {}
  }

  /** Parsed template, or the first syntax problem. */
  public sealed interface Parsed {
    record Ok(List<Part> parts) implements Parsed {}

    record Error(String problem) implements Parsed {}
  }

  /** The outcome of resolving: the text, or the variables that had no value. */
  public sealed interface Resolved {
    record Value(String text) implements Resolved {}

    record Missing(List<String> names) implements Resolved {}
  }

  public static Parsed parse(String template) {
    var parts = new ArrayList<Part>();
    var text = new StringBuilder();
    var i = 0;
    while (i < template.length()) {
      var c = template.charAt(i);
      if (c == '$' && i + 1 < template.length() && template.charAt(i + 1) == '$') {
        text.append('$');
        i += 2;
      } else if (c == '$' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
        var close = template.indexOf('}', i);
        if (close < 0) {
          return new Parsed.Error("'${' is not closed by '}'");
        }
        var inner = template.substring(i + 2, close);
        var sep = inner.indexOf(":-");
        var name = sep < 0 ? inner : inner.substring(0, sep);
        if (!NAME.matcher(name).matches()) {
          return new Parsed.Error(
              "'${" + inner + "}' does not name a variable: use ${NAME} or " + "${NAME:-default}");
        }
        if (sep >= 0 && inner.substring(sep + 2).contains("${")) {
          // '}' ends the reference early: ${A:-${B}} would put a literal '${B' in the value.
          return new Parsed.Error("the default of '${" + name + ":-...}' holds another ${...}; "
              + "a default is plain text");
        }
        if (!text.isEmpty()) {
          parts.add(new Part.Text(text.toString()));
          text.setLength(0);
        }
        parts.add(
            new Part.Ref(name, sep < 0 ? Optional.empty() : Optional.of(inner.substring(sep + 2))));
        i = close + 1;
      } else {
        text.append(c);
        i++;
      }
    }
    if (!text.isEmpty()) {
      parts.add(new Part.Text(text.toString()));
    }
    return new Parsed.Ok(List.copyOf(parts));
  }

  /** The variables a template refers to (for required-env checks and plan reasons). */
  public static List<String> references(String template) {
    return switch (parse(template)) {
      case Parsed.Ok ok ->
        ok.parts().stream()
            .flatMap(p -> p instanceof Part.Ref r ? Stream.of(r.name()) : Stream.empty())
            .toList();
      case Parsed.Error e -> List.of();
    };
  }

  /** Fills in a template; unset variables without a default are reported, all of them. */
  public static Resolved resolve(String template, Function<String, Optional<String>> lookup) {
    return switch (parse(template)) {
      case Parsed.Error e -> throw new IllegalArgumentException(e.problem());
      case Parsed.Ok ok -> {
        var out = new StringBuilder();
        var missing = new ArrayList<String>();
        for (var part : ok.parts()) {
          switch (part) {
            case Part.Text t -> out.append(t.text());
            case Part.Ref r ->
              lookup
                  .apply(r.name())
                  .or(r::fallback)
                  .ifPresentOrElse(out::append, () -> missing.add(r.name()));
          }
        }
        yield missing.isEmpty()
            ? new Resolved.Value(out.toString())
            : new Resolved.Missing(List.copyOf(missing));
      }
    };
  }
}
