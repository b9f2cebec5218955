package dev.reconcile.plan;

/**
 * Why a change is planned, in words for people: {@code image web:1.4.1 -> 1.4.2}, {@code env
 * SECRET_KEY changed (value hidden)}. Never holds a secret value. The executor never reads it.
 *
 * @param field what the reason is about (image, env.SECRET_KEY, upstream.web, ...)
 */
public record Reason(String field, String text) {

  public static Reason of(String field, String text) {
    return new Reason(field, text);
  }

  public static Reason changed(String field, String before, String after) {
    return new Reason(field, field + " " + before + " -> " + after);
  }

  public static Reason hidden(String field) {
    return new Reason(field, field + " changed (value hidden)");
  }

  @Override
  public String toString() {
    return text;
  }
}
