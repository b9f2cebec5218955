package dev.reconcile.cli;

import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.cli.view.ExportView;
import dev.reconcile.cli.view.Output;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.export.KubernetesExport;
import dev.reconcile.export.Manifests;
import dev.reconcile.util.AtomicFiles;
import dev.reconcile.util.Texts;
import dev.reconcile.validate.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Writes projects.yml as Kubernetes manifests. Reads no engine and changes nothing. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export projects.yml as Kubernetes manifests, for a team that moves on",
      "from servers and Swarm: per environment a Deployment per container",
      "(rolling updates that never go below the declared replicas, readiness",
      "from health), a Service per routed container, an Ingress with the",
      "domains and routes nginx would get (TLS from a Secret PROJECT-ENV-tls),",
      "and a PersistentVolumeClaim per volume (1Gi: edit before applying).",
      "Secret values are references to a Secret PROJECT-ENV-env, never filled",
      "in: the keys to create are listed. Every manifest is read back through",
      "the Kubernetes model and refused if a field is unknown to it.",
      "",
      "Examples:",
      "  reconcile export kubernetes                         # all, to stdout",
      "  reconcile export kubernetes --project shop --out k8s/",
      "  reconcile export kubernetes | kubectl apply --dry-run=server -f -",
      "",
      "Exit codes: 0 written; 1 bad spec or a name Kubernetes cannot take."
    })
final class ExportCommand implements Callable<Integer> {
  /** What to export to. */
  enum Target {
    kubernetes
  }

  @ParentCommand
  ReconcileCommand root;

  @Parameters(paramLabel = "TARGET", description = "kubernetes (the only target so far).")
  Target target;

  @Mixin
  SelectionOptions selection = new SelectionOptions();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Write PROJECT-ENV.yaml files into DIR (made if missing) instead of printing.")
  Path out;

  @Override
  public Integer call() throws IOException {
    var global = root.global();
    var view = new ExportView(root.terminal());
    var validated = SpecValidator.standard().validate(global.specPath(), global.specShownAs());
    if (!validated.isValid()) {
      DiagnosticsView.of(Output.text, root.terminal()).validated(global.specShownAs(), validated);
      return ExitCodes.ERROR;
    }
    var spec = validated.spec().orElseThrow();
    // No values are looked up: every one that could be a secret becomes a reference.
    var desired = new Expander(Variables.NONE)
        .expand(
            spec,
            new Selection(Set.copyOf(selection.projects), Set.copyOf(selection.environments)));
    List<KubernetesExport.Environment> environments;
    try {
      environments = KubernetesExport.of(desired);
    } catch (KubernetesExport.Unexportable e) {
      view.unexportable(Texts.messageOf(e));
      return ExitCodes.ERROR;
    }
    for (var environment : environments) {
      var problems = Manifests.check(environment.objects());
      if (!problems.isEmpty()) {
        throw new IllegalStateException("the manifests of " + environment.project() + "/"
            + environment.environment() + " fail the strict check: " + problems);
      }
    }
    if (out == null) {
      view.printed(environments);
      return ExitCodes.OK;
    }
    Files.createDirectories(out);
    for (var environment : environments) {
      var file = out.resolve(environment.project() + "-" + environment.environment() + ".yaml");
      AtomicFiles.writeString(file, Manifests.yaml(environment.objects()));
      view.written(environment, file);
    }
    return ExitCodes.OK;
  }
}
