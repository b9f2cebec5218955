package dev.reconcile.providers.nginx;

import java.util.Map;

/** For tests of other packages: the challenge snippet's text. */
public final class ChallengesAccess {
  private ChallengesAccess() {}

  public static String render(Map<String, String> answers) {
    return Challenges.render(answers);
  }
}
