package dev.reconcile.cli.view;

import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * Where output goes, and whether it may be colored. Color is used only when standard output is a
 * terminal, NO_COLOR is unset and TERM is not "dumb"; {@code --no-color} turns it off.
 */
public record Terminal(PrintStream out, PrintStream err, boolean interactive, boolean color) {
  public static Terminal system() {
    var interactive = isTerminal();
    return new Terminal(System.out, System.err, interactive, false);
  }

  /** A terminal over captured streams, never interactive, never colored (for tests). */
  public static Terminal captured(PrintStream out, PrintStream err) {
    return new Terminal(out, err, false, false);
  }

  /**
   * Whether color would be used if the user did not turn it off, for a run whose environment is
   * {@code env} (this process's, or a client's the controller runs for).
   */
  public boolean colorAllowed(java.util.Map<String, String> env) {
    return interactive && env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM"));
  }

  public Terminal withColor(boolean on) {
    return new Terminal(out, err, interactive, on);
  }

  public String red(String s) {
    return paint("31", s);
  }

  public String yellow(String s) {
    return paint("33", s);
  }

  public String green(String s) {
    return paint("32", s);
  }

  public String bold(String s) {
    return paint("1", s);
  }

  public String cyan(String s) {
    return paint("36", s);
  }

  public String dim(String s) {
    return paint("2", s);
  }

  private String paint(String code, String s) {
    return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }

  /**
   * Since JDK 22 {@code System.console()} exists even when output is redirected; {@code
   * Console.isTerminal()} tells the truth there. Looked up by reflection because we compile for 21.
   */
  private static boolean isTerminal() {
    var console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = console.getClass().getMethod("isTerminal");
      return (boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
