package dev.reconcile.provider;

import org.jspecify.annotations.Nullable;

/**
 * A fault while talking to the world, worded for the user: what failed, where, and what to
 * check. {@link Transient} faults (a timeout, an engine restarting) may succeed when retried;
 * {@link Terminal} ones will not and are reported at once.
 */
public abstract sealed class ProviderException extends Exception
    permits ProviderException.Transient, ProviderException.Terminal {
  private final String where;
  private final String hint;

  private ProviderException(String where, String message, String hint, @Nullable Throwable cause) {
    super(message, cause);
    this.where = where;
    this.hint = hint;
  }

  /** Where it happened, e.g. {@code host local (unix:///var/run/docker.sock)}. */
  public String where() {
    return where;
  }

  /** What the user can check or do. */
  public String hint() {
    return hint;
  }

  /** The same fault, of the same kind, told with more words (e.g. what was cleaned up). */
  public ProviderException withMessage(String message) {
    return switch (this) {
      case Transient t -> new Transient(where, message, hint, this);
      case Terminal t -> new Terminal(where, message, hint, this);
    };
  }

  public static final class Transient extends ProviderException {
    public Transient(String where, String message, String hint, @Nullable Throwable cause) {
      super(where, message, hint, cause);
    }
  }

  public static final class Terminal extends ProviderException {
    public Terminal(String where, String message, String hint, @Nullable Throwable cause) {
      super(where, message, hint, cause);
    }
  }
}
