package dev.reconcile.diag;

import java.util.Comparator;
import java.util.Optional;

/**
 * One problem with the user's input.
 *
 * @param path where in the spec, as slash-separated keys ({@code projects/shop/containers/web/port});
 *     empty for the document as a whole
 * @param message what is wrong, in one line
 * @param hint what to do about it, when there is something useful to say
 */
public record Diagnostic(
    Severity severity, SourcePosition position, String path, String message, Optional<String> hint)
    implements Comparable<Diagnostic> {

  private static final Comparator<Diagnostic> ORDER = Comparator.comparing(Diagnostic::position)
      .thenComparing(Diagnostic::severity)
      .thenComparing(Diagnostic::message);

  public static Diagnostic error(SourcePosition position, String path, String message) {
    return new Diagnostic(Severity.ERROR, position, path, message, Optional.empty());
  }

  public static Diagnostic warning(SourcePosition position, String path, String message) {
    return new Diagnostic(Severity.WARNING, position, path, message, Optional.empty());
  }

  /** This diagnostic with a hint line. */
  public Diagnostic withHint(String hint) {
    return new Diagnostic(severity, position, path, message, Optional.of(hint));
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public int compareTo(Diagnostic other) {
    return ORDER.compare(this, other);
  }

  /** {@code file:line:col: error: message}, and the hint on an indented second line. */
  @Override
  public String toString() {
    var head = position + ": " + severity.label() + ": " + message;
    return hint.map(h -> head + "\n  hint: " + h).orElse(head);
  }
}
