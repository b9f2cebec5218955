package dev.reconcile.cli.view;

import dev.reconcile.export.KubernetesExport;
import dev.reconcile.export.Manifests;
import java.nio.file.Path;
import java.util.List;

/** What {@code reconcile export} says, and the manifests it prints. */
public final class ExportView {
  private final Terminal terminal;

  public ExportView(Terminal terminal) {
    this.terminal = terminal;
  }

  /** All manifests on stdout, one YAML stream; which Secrets to create on stderr. */
  public void printed(List<KubernetesExport.Environment> environments) {
    var first = true;
    for (var environment : environments) {
      if (!first) {
        terminal.out().println("---");
      }
      first = false;
      terminal.out().println("# " + environment.project() + "/" + environment.environment());
      terminal.out().print(Manifests.yaml(environment.objects()));
      secrets(environment);
    }
    terminal.out().flush();
  }

  public void written(KubernetesExport.Environment environment, Path file) {
    terminal.out().println("wrote " + file + " (" + environment.objects().size() + " objects)");
    secrets(environment);
  }

  private void secrets(KubernetesExport.Environment environment) {
    if (!environment.secretKeys().isEmpty()) {
      terminal
          .err()
          .println("  " + environment.project() + "/" + environment.environment() + " reads Secret "
              + environment.secret() + " (create it first): "
              + String.join(", ", environment.secretKeys()));
    }
  }

  public void unexportable(String why) {
    terminal.err().println("reconcile: " + why);
  }
}
