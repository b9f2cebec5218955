package dev.reconcile.compose;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Compose's variable substitution: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code
 * ${VAR-default}}, {@code ${VAR:?error}}, {@code ${VAR?error}}, {@code ${VAR:+other}}, {@code
 * ${VAR+other}}, and {@code $$} for a literal {@code $}. Two uses: resolved now (an image, a port:
 * projects.yml interpolates only {@code env}), or rewritten in projects.yml's own syntax (an env
 * value, resolved at apply like compose did at up).
 */
final class Substitution {
  private Substitution() {}

  /** One reference found in a value. */
  private record Reference(String name, String operator, String argument) {}

  /**
   * The value with every reference replaced as compose would: from {@code lookup}, its default,
   * or empty. {@code unset} collects the names that had no value and no default.
   */
  static String resolve(
      String value, Function<String, Optional<String>> lookup, Set<String> unset) {
    return walk(value, (ref, out) -> {
      var found = lookup.apply(ref.name()).orElse(null);
      boolean set = found != null && (found.length() > 0 || !ref.operator().startsWith(":"));
      switch (ref.operator()) {
        case ":-", "-" -> out.append(set ? found : resolve(ref.argument(), lookup, unset));
        case ":+", "+" -> out.append(set ? resolve(ref.argument(), lookup, unset) : "");
        default -> {
          if (found == null) {
            unset.add(ref.name());
          }
          out.append(found == null ? "" : found);
        }
      }
    });
  }

  /**
   * The value in projects.yml's syntax ({@code ${VAR}}, {@code ${VAR:-default}}, {@code $$}),
   * which is resolved at apply. {@code names} collects the variables referred to. The forms
   * projects.yml has no word for are resolved now through {@code lookup}: {@code ${VAR:+other}}.
   */
  static String rewrite(
      String value, Function<String, Optional<String>> lookup, Set<String> names) {
    return walk(
        value,
        (ref, out) -> {
          switch (ref.operator()) {
            case ":-", "-" -> {
              names.add(ref.name());
              // A default that is itself a reference cannot be nested in projects.yml: resolved
              // now.
              var fallback = resolve(ref.argument(), lookup, new TreeSet<String>());
              out.append("${")
                  .append(ref.name())
                  .append(":-")
                  .append(escape(fallback))
                  .append('}');
            }
            case ":+", "+" ->
              out.append(escape(resolve(
                  "${" + ref.name() + ref.operator() + ref.argument() + "}",
                  lookup,
                  new TreeSet<String>())));
            default -> {
              names.add(ref.name());
              out.append("${").append(ref.name()).append('}');
            }
          }
        },
        "$$");
  }

  /** A literal in projects.yml's syntax: {@code $} doubled. */
  static String escape(String literal) {
    return literal.replace("$", "$$");
  }

  /** Whether the value holds a reference (not only {@code $$}). */
  static boolean refersToVariables(String value) {
    var seen = new boolean[] {false};
    walk(value, (ref, out) -> seen[0] = true);
    return seen[0];
  }

  private interface OnReference {
    void at(Reference reference, StringBuilder out);
  }

  private static String walk(String value, OnReference onReference) {
    return walk(value, onReference, "$");
  }

  /**
   * Copies the value, calling {@code onReference} for each reference and writing {@code
   * dollar} for each {@code $$}. A {@code $} that starts no reference stays as it is, as in
   * compose.
   */
  private static String walk(String value, OnReference onReference, String dollar) {
    var out = new StringBuilder(value.length());
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c != '$' || i + 1 >= value.length()) {
        out.append(c == '$' && dollar.equals("$$") ? "$$" : String.valueOf(c));
        i++;
        continue;
      }
      char next = value.charAt(i + 1);
      if (next == '$') {
        out.append(dollar);
        i += 2;
      } else if (next == '{') {
        int end = closing(value, i + 2);
        if (end < 0) {
          out.append(dollar.equals("$$") ? escape(value.substring(i)) : value.substring(i));
          break;
        }
        var inner = value.substring(i + 2, end);
        int name = nameEnd(inner, 0);
        if (name == 0) {
          // Not a reference compose would take; kept as text.
          var text = value.substring(i, end + 1);
          out.append(dollar.equals("$$") ? escape(text) : text);
        } else {
          var rest = inner.substring(name);
          var operator = operatorOf(rest);
          onReference.at(
              new Reference(inner.substring(0, name), operator, rest.substring(operator.length())),
              out);
        }
        i = end + 1;
      } else if (isNameStart(next)) {
        int end = nameEnd(value, i + 1);
        onReference.at(new Reference(value.substring(i + 1, end), "", ""), out);
        i = end;
      } else {
        out.append(dollar.equals("$$") ? "$$" : "$");
        i++;
      }
    }
    return out.toString();
  }

  private static String operatorOf(String rest) {
    for (var op : new String[] {":-", ":?", ":+", "-", "?", "+"}) {
      if (rest.startsWith(op)) {
        return op;
      }
    }
    return "";
  }

  /** The index of the brace that closes one opened just before {@code from}; -1 for none. */
  private static int closing(String value, int from) {
    int depth = 1;
    for (int i = from; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isNameStart(char c) {
    return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static int nameEnd(String value, int from) {
    if (from >= value.length() || !isNameStart(value.charAt(from))) {
      return from;
    }
    int i = from + 1;
    while (i < value.length()
        && (isNameStart(value.charAt(i))
            || Character.isDigit(value.charAt(i)) && value.charAt(i) < 128)) {
      i++;
    }
    return i;
  }
}
