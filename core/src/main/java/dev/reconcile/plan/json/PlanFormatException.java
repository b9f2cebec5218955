package dev.reconcile.plan.json;

/** A saved plan file that cannot be read; the message says why, for the user. */
public final class PlanFormatException extends RuntimeException {
  public PlanFormatException(String message) {
    super(message);
  }
}
