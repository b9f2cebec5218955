package dev.reconcile.plan;

/** What a change does to its resource. Switch over it exhaustively, with no default. */
public enum Action {
  CREATE("create", "+"),
  UPDATE("update", "~"),
  REPLACE("replace", "-/+"),
  DELETE("delete", "-"),
  NOOP("noop", " ");

  private final String word;
  private final String symbol;

  Action(String word, String symbol) {
    this.word = word;
    this.symbol = symbol;
  }

  /** The lowercase word used in plan JSON and summaries. */
  public String word() {
    return word;
  }

  /** Terraform's mark: {@code +}, {@code ~}, {@code -/+}, {@code -}. */
  public String symbol() {
    return symbol;
  }

  /** Whether something that exists now is removed, even if replaced. */
  public boolean isDestructive() {
    return this == REPLACE || this == DELETE;
  }

  public boolean isChange() {
    return this != NOOP;
  }

  public static Action fromWord(String word) {
    for (var action : values()) {
      if (action.word.equals(word)) {
        return action;
      }
    }
    throw new IllegalArgumentException("unknown action " + word);
  }
}
