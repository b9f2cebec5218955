package dev.reconcile.util;

/** Text shown to people: user input quoted in a message is one line and short. */
public final class Texts {
  private static final int MAX_SHOWN = 60;

  private Texts() {}

  /** What a fault says: its message, or its kind when it has none. */
  public static String messageOf(Throwable e) {
    var message = e.getMessage();
    return message != null ? message : e.getClass().getSimpleName();
  }

  /** Escapes line breaks and tabs, and cuts the text to a readable length. */
  public static String shown(String text) {
    var oneLine =
        text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t").replace("\0", "\\0");
    return oneLine.length() <= MAX_SHOWN ? oneLine : oneLine.substring(0, MAX_SHOWN - 3) + "...";
  }
}
