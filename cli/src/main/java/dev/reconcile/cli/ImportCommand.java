package dev.reconcile.cli;

import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.cli.view.ImportView;
import dev.reconcile.cli.view.Output;
import dev.reconcile.compose.ComposeImport;
import dev.reconcile.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Drafts projects.yml from a docker compose project. Reads files; runs and changes nothing. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Draft projects.yml from a docker compose project: each service a",
      "container (image, command, environment, the published HTTP port,",
      "healthcheck, depends_on, named volumes, resource limits), and the",
      "routes and domains of the nginx site in front of it when given.",
      "Values that look secret move to an env file (mode 0600) and become",
      "$${VAR}. What compose does that projects.yml cannot carry (bind mounts,",
      "privileged, extra networks, build sections...) is written into the",
      "draft as a comment saying why. The draft is validated before it is",
      "written; an existing file is never replaced without --force.",
      "",
      "Compose files are arguments, in compose's -f order (-f stays the",
      "projects.yml to write). Without any: compose.yaml, compose.yml,",
      "docker-compose.yaml or docker-compose.yml here, with its",
      "*.override.* file as compose would.",
      "",
      "Examples:",
      "  reconcile import compose",
      "  reconcile import compose --adopt      # its volumes' data used in place",
      "  reconcile import compose docker-compose.yml --domain production=shop.test",
      "  reconcile import compose --nginx-site /etc/nginx/sites-enabled/shop.conf",
      "",
      "Exit codes: 0 written; 1 nothing written (a compose file or site that",
      "cannot be read, at FILE:LINE:COL; a file that exists)."
    })
final class ImportCommand implements Callable<Integer> {
  /** Where a draft comes from. */
  enum Source {
    compose
  }

  @ParentCommand
  ReconcileCommand root;

  @Parameters(index = "0", paramLabel = "SOURCE", description = "compose (the only source so far).")
  Source source = Source.compose;

  @Parameters(
      index = "1..*",
      paramLabel = "COMPOSE_FILE",
      description = "Compose files, later ones overriding earlier (compose's -f).")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--env-file",
      paramLabel = "FILE",
      description = "Compose's --env-file: where its $${VAR}s come from. Default: .env beside the"
          + " first compose file.")
  @Nullable
  Path envFile;

  @Option(
      names = "--project",
      paramLabel = "NAME",
      description = "The project's name in projects.yml. Default: compose's project name.")
  @Nullable
  String project;

  @Option(
      names = "--domain",
      paramLabel = "ENV=DOMAIN",
      description = "A domain per environment, e.g. production=shop.example.com; repeat for more."
          + " Default: the --nginx-site's server_name, else a placeholder.")
  Map<String, String> domains = new LinkedHashMap<>();

  @Option(
      names = "--nginx-site",
      paramLabel = "FILE",
      description = "The nginx site that serves the project today: its server_name and the"
          + " locations that pass to the published ports become domains and routes.")
  @Nullable
  Path site;

  @Option(
      names = "--adopt",
      description = "Take over compose's volumes: the first environment's volumes are made on"
          + " their data, in place (nothing copied; compose's volumes stay). Without it the"
          + " draft shows how, in comments.")
  boolean adopt;

  @Option(names = "--force", description = "Replace projects.yml and its env file when they exist.")
  boolean force;

  /** The env file the draft names, beside projects.yml. */
  static final String ENV_FILE = "reconcile.env";

  @Override
  public Integer call() throws IOException {
    var view = new ImportView(root.terminal());
    var spec = root.global.specPath();
    var envOut = AtomicFiles.parentOf(spec.toAbsolutePath()).resolve(ENV_FILE);
    var composeFiles = files.isEmpty() ? found(Path.of("")) : files;
    if (composeFiles.isEmpty()) {
      view.refused("no compose file here (compose.yaml, compose.yml, docker-compose.yaml,"
          + " docker-compose.yml); name one: reconcile import compose FILE");
      return ExitCodes.ERROR;
    }
    if (!force) {
      for (var existing : List.of(spec, envOut)) {
        if (Files.exists(existing)) {
          view.refused(existing + " exists; nothing was written. Use --force to replace it, or"
              + " -f to write projects.yml elsewhere.");
          return ExitCodes.ERROR;
        }
      }
    }
    var result = ComposeImport.draft(
        new ComposeImport.Options(
            composeFiles,
            Optional.ofNullable(envFile),
            Optional.ofNullable(project),
            domains,
            Optional.ofNullable(site),
            root.global.specShownAs(),
            ENV_FILE,
            adopt),
        System.getenv());
    var diagnostics = DiagnosticsView.of(Output.text, root.terminal());
    return switch (result) {
      case ComposeImport.Result.Failed failed -> {
        diagnostics.report(composeFiles.getFirst().toString(), failed.diagnostics());
        view.refused("nothing was written.");
        yield ExitCodes.ERROR;
      }
      case ComposeImport.Result.Drafted drafted -> {
        diagnostics.report(root.global.specShownAs(), drafted.validation());
        if (drafted.validation().hasErrors()) {
          view.notValid();
          yield ExitCodes.ERROR;
        }
        var values = drafted.draft().envValues();
        if (!values.isEmpty()) {
          // Single quotes: the env file reader takes what is between them as it is.
          AtomicFiles.writeString(
              envOut,
              values.entrySet().stream()
                  .map(e -> e.getKey() + "='" + e.getValue() + "'\n")
                  .collect(Collectors.joining(
                      "",
                      "# Written by 'reconcile import compose': the"
                          + " values projects.yml's ${VAR}s take. Keep it out of git.\n",
                      "")),
              AtomicFiles.PRIVATE);
        }
        // Readable by all like any file of a repository (it holds no secret values).
        AtomicFiles.writeString(
            spec, drafted.draft().text(), PosixFilePermissions.fromString("rw-r--r--"));
        view.written(
            root.global.specShownAs(),
            drafted.draft(),
            composeFiles.stream().map(Path::toString).toList(),
            ENV_FILE,
            !values.isEmpty());
        yield ExitCodes.OK;
      }
    };
  }

  /** The compose file compose itself would read in {@code dir}, and its override file. */
  static List<Path> found(Path dir) {
    for (var name :
        List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")) {
      var file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        var out = new ArrayList<Path>(List.of(file));
        var base = name.substring(0, name.lastIndexOf('.'));
        for (var ext : List.of(".yaml", ".yml")) {
          var override = dir.resolve(base + ".override" + ext);
          if (Files.isRegularFile(override)) {
            out.add(override);
            break;
          }
        }
        return out;
      }
    }
    return List.of();
  }
}
