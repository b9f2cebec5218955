package dev.reconcile.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A value as written in the spec, possibly holding {@code ${VAR}} references that are resolved
 * only when needed (apply), so that validate and plan work without secrets present.
 */
public record EnvValue(String template, boolean markedSecret) {
  public EnvValue(String template) {
    this(template, false);
  }

  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL).*");

  /** True when the value comes from the environment, so it may be a secret. */
  public boolean isInterpolated() {
    return template.contains("${");
  }

  /**
   * Whether a value under this variable name must never be shown: it is interpolated, or its
   * name looks secret ({@code *PASSWORD*}, {@code *SECRET*}, {@code *TOKEN*}, {@code *KEY*}), or
   * the spec marks it {@code secret: true}.
   */
  public boolean isSecretUnder(String variableName) {
    return markedSecret
        || isInterpolated()
        || SECRET_NAME.matcher(variableName.toUpperCase(Locale.ROOT)).matches();
  }
}
