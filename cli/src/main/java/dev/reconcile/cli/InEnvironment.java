package dev.reconcile.cli;

import dev.reconcile.cli.view.LogsView;
import dev.reconcile.console.Consoles;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code logs}, {@code exec} and {@code run} take first, a project and its environment, and
 * how they end: the session's exit code, or 1 after saying why it could not start.
 */
final class InEnvironment {
  @Parameters(index = "0", paramLabel = "PROJECT", description = "The project.")
  String project = "";

  @Option(
      names = {"-e", "--env"},
      paramLabel = "ENV",
      description =
          "The environment. Default: the project's only one (required when it has several).")
  Optional<String> environment = Optional.empty();

  /** One command's work in the chosen environment; its result is the exit code. */
  interface Session {
    int in(AppTarget target)
        throws Consoles.Refused, ProviderException, IOException, InterruptedException;
  }

  int run(ReconcileCommand root, Session session) throws IOException, InterruptedException {
    var target = AppTarget.of(root, project, environment);
    if (target.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var view = new LogsView(root.terminal());
    try {
      return session.in(target.get());
    } catch (Consoles.Refused e) {
      view.refused(Texts.messageOf(e));
      return ExitCodes.ERROR;
    } catch (ProviderException e) {
      view.failed(e);
      return ExitCodes.ERROR;
    }
  }
}
