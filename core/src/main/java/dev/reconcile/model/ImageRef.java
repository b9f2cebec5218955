package dev.reconcile.model;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An OCI image reference, {@code [registry[:port]/]path[:tag][@algorithm:hex]}, following the
 * grammar of the distribution project's reference package.
 */
public record ImageRef(
    Optional<String> registry, String path, Optional<String> tag, Optional<String> digest) {

  private static final String DOMAIN_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final Pattern DOMAIN =
      Pattern.compile(DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?");
  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}");
  private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");
  private static final int MAX_NAME = 255;

  /** The result of parsing: a reference, or why the text is not one. */
  public sealed interface Parsed {
    record Valid(ImageRef ref) implements Parsed {}

    record Invalid(String reason) implements Parsed {}
  }

  public static Parsed parse(String text) {
    var rest = text;
    Optional<String> digest = Optional.empty();
    var at = rest.indexOf('@');
    if (at >= 0) {
      var d = rest.substring(at + 1);
      if (!DIGEST.matcher(d).matches()) {
        return invalid("the digest '" + d + "' is not algorithm:hex");
      }
      if (!d.startsWith("sha256:")) {
        // Valid to the OCI grammar, but Docker Engine finds no image by it and cannot pull by it.
        return invalid("the digest algorithm '" + d.substring(0, Math.max(0, d.indexOf(':')))
            + "' is not sha256, the only one Docker Engine addresses images by");
      }
      if (!SHA256.matcher(d).matches()) {
        return invalid("a sha256 digest is 64 lowercase hex digits");
      }
      digest = Optional.of(d);
      rest = rest.substring(0, at);
    }
    Optional<String> tag = Optional.empty();
    var colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      var t = rest.substring(colon + 1);
      if (!TAG.matcher(t).matches()) {
        return invalid("the tag '" + t + "' may hold only letters, digits, '_', '.' and '-' "
            + "(at most 128, not starting with '.' or '-')");
      }
      tag = Optional.of(t);
      rest = rest.substring(0, colon);
    }
    return parseName(rest, tag, digest);
  }

  private static Parsed parseName(String name, Optional<String> tag, Optional<String> digest) {
    if (name.isEmpty()) {
      return invalid("the image name is empty");
    }
    if (name.length() > MAX_NAME) {
      return invalid("the image name is longer than " + MAX_NAME + " characters");
    }
    Optional<String> registry = Optional.empty();
    var path = name;
    var slash = name.indexOf('/');
    if (slash > 0) {
      var first = name.substring(0, slash);
      if (first.contains(".")
          || first.contains(":")
          || first.equals("localhost")
          || !first.equals(first.toLowerCase(Locale.ROOT))) {
        if (!DOMAIN.matcher(first).matches()) {
          return invalid("the registry '" + first + "' is not a valid host[:port]");
        }
        registry = Optional.of(first);
        path = name.substring(slash + 1);
      }
    }
    for (var component : path.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        return invalid("'" + component + "' is not a valid name component: lowercase letters "
            + "and digits, separated by '.', '_', '__' or '-'");
      }
    }
    return new Parsed.Valid(new ImageRef(registry, path, tag, digest));
  }

  private static Parsed invalid(String reason) {
    return new Parsed.Invalid(reason);
  }

  /** Parses a reference known to be valid (from a validated spec). */
  public static ImageRef of(String text) {
    return switch (parse(text)) {
      case Parsed.Valid v -> v.ref();
      case Parsed.Invalid i -> throw new IllegalArgumentException(text + ": " + i.reason());
    };
  }

  /** Whether a tag or digest pins the image; without one Docker means ':latest'. */
  public boolean isPinned() {
    return tag.isPresent() || digest.isPresent();
  }

  @Override
  public String toString() {
    return registry.map(r -> r + "/").orElse("")
        + path
        + tag.map(t -> ":" + t).orElse("")
        + digest.map(d -> "@" + d).orElse("");
  }
}
