package dev.reconcile.cli;

import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.cli.view.Output;
import dev.reconcile.util.AtomicFiles;
import dev.reconcile.validate.SpecValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Writes a first, commented projects.yml for one project: from flags, or by asking. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Write a commented projects.yml for one project, ready for",
      "'reconcile validate' and 'reconcile plan'. What the flags leave out is",
      "asked for on a terminal; elsewhere --image and --domain are needed.",
      "",
      "  reconcile init --project shop --image ghcr.io/acme/shop:1.4.2 \\",
      "      --port 3000 --domain production=shop.example.com --health /health",
      "",
      "The file is checked before it is written, and an existing one is",
      "never replaced without --force."
    })
final class InitCommand implements Callable<Integer> {
  @ParentCommand
  ReconcileCommand root;

  @Option(
      names = "--project",
      paramLabel = "NAME",
      description =
          "The project's name (lowercase letters, digits, '-'). Default: this folder's name.")
  @Nullable
  String project;

  @Option(
      names = "--image",
      paramLabel = "IMAGE",
      description = "Its container's image, with a tag or digest.")
  @Nullable
  String image;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "The port the app listens on in its container. Default: 80.")
  @Nullable
  Integer port;

  @Option(
      names = "--domain",
      paramLabel = "ENV=DOMAIN",
      description = "A domain per environment, e.g. production=shop.example.com; repeat for more.")
  Map<String, String> domains = new LinkedHashMap<>();

  @Option(
      names = "--health",
      paramLabel = "PATH",
      description =
          "A path that answers 2xx once the app is ready, e.g. /health. Default: none (the image's own HEALTHCHECK).")
  @Nullable
  String health;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8080",
      description =
          "Where the managed nginx listens. Default: ${DEFAULT-VALUE} (this machine only, to try it).")
  String listen;

  @Option(names = "--force", description = "Replace projects.yml when it exists.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    var terminal = root.terminal();
    var file = root.global.specPath();
    if (Files.exists(file) && !force) {
      terminal
          .err()
          .println("reconcile: " + root.global.specShownAs() + " exists; nothing was written. "
              + "Use --force to replace it, or -f to name another file.");
      return ExitCodes.ERROR;
    }
    var folder = AtomicFiles.parentOf(file.toAbsolutePath());
    var asking = Confirmation.possible(terminal);
    if (project == null) {
      var guess = folder.getFileName() == null
          ? "app"
          : folder
              .getFileName()
              .toString()
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^a-z0-9-]+", "-")
              .replaceAll("^-+|-+$", "");
      project = asking
          ? ask("Project name", guess.isEmpty() ? "app" : guess)
          : guess.isEmpty() ? "app" : guess;
    }
    if (image == null && asking) {
      image = ask("Image (with a tag)", null);
    }
    if (port == null) {
      port = asking ? Integer.parseInt(ask("Port the app listens on in its container", "80")) : 80;
    }
    if (domains.isEmpty() && asking) {
      domains.put("production", ask("Production domain", project + ".example.com"));
    }
    if (health == null && asking) {
      var answer = ask("Health check path (empty for none)", "");
      health = answer.isEmpty() ? null : answer;
    }
    var missing = new ArrayList<String>();
    if (image == null || image.isBlank()) {
      missing.add("--image");
    }
    if (domains.isEmpty()) {
      missing.add("--domain");
    }
    if (!missing.isEmpty()) {
      terminal
          .err()
          .println(
              "reconcile: init needs " + String.join(" and ", missing) + " when it cannot ask; "
                  + "nothing was written. Example: reconcile init --image ghcr.io/acme/shop:1.4.2 "
                  + "--domain production=shop.example.com");
      return ExitCodes.ERROR;
    }
    var text = render();
    // Checked before it is written: a name or image the flags got wrong is said now, with the line.
    var validated = SpecValidator.standard()
        .validate(text.getBytes(StandardCharsets.UTF_8), root.global.specShownAs());
    if (validated.spec().isEmpty() || validated.diagnostics().hasErrors()) {
      DiagnosticsView.of(Output.text, terminal)
          .report(root.global.specShownAs(), validated.diagnostics());
      terminal.err().println("Nothing was written: fix the flags above.");
      return ExitCodes.ERROR;
    }
    Files.writeString(file, text);
    terminal
        .out()
        .println("Wrote " + root.global.specShownAs() + " (project " + project + "). Next:");
    terminal.out().println("  reconcile validate        # check it");
    terminal.out().println("  reconcile plan            # what apply would do; changes nothing");
    terminal.out().println("  reconcile apply           # deploy, without downtime");
    terminal.out().flush();
    return ExitCodes.OK;
  }

  private static String ask(String question, @Nullable String suggestion) {
    var prompt = question
        + (suggestion == null || suggestion.isEmpty() ? "" : " [" + suggestion + "]") + ": ";
    var console = System.console();
    var answer = console == null ? null : console.readLine(prompt);
    answer = answer == null ? "" : answer.strip();
    return answer.isEmpty() && suggestion != null ? suggestion : answer;
  }

  /** A YAML string, quoted: values come from flags and may hold anything. */
  private static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  String render() {
    var lines = new ArrayList<String>(List.of(
        "# projects.yml, written by 'reconcile init'. Every key is in docs/spec.md.",
        "# Next: 'reconcile validate', then 'reconcile plan' (what apply would do), then",
        "# 'reconcile apply'. Keep this file in git: plans of pull requests are reviewed from it.",
        "version: 1",
        "",
        "platform:",
        "  # The front door: the nginx that reconcile runs itself. Loopback while you try it;",
        "  # \"0.0.0.0:80\" to serve the world, or mode: system to use this machine's nginx.",
        "  nginx: { listen: " + quoted(listen) + " }",
        "",
        "projects:",
        "  " + project + ":",
        "    # One domain per environment; each environment runs its own containers.",
        "    domains:"));
    domains.forEach((env, domain) -> lines.add("      " + env + ": " + quoted(domain)));
    if (!domains.containsKey("staging")) {
      lines.add(
          "      # staging: " + quoted("staging." + domains.values().iterator().next()));
    }
    lines.addAll(List.of(
        "    containers:",
        "      web:",
        "        image: " + quoted(Objects.requireNonNull(image, "checked above"))
            + "   # a tag or a digest; a new one is a blue-green deploy",
        "        port: " + port
            + "   # where the app listens in its container; nginx routes \"/\" here"));
    lines.add(
        health == null
            ? "        # health: { path: /health }   # answers 2xx when ready; traffic switches only then"
            : "        health: { path: " + quoted(health)
                + " }   # must answer 2xx before traffic switches to it");
    lines.addAll(List.of(
        "        # env: { DATABASE_URL: \"${DATABASE_URL}\" }   # ${VAR}: from the environment or env_file",
        "        # volumes: { uploads: /app/uploads }          # named volumes outlive every deploy",
        "        # release: [python, manage.py, migrate]       # run once before a new version serves",
        "        # smoke: [ { path: /, status: 200 } ]         # checked through nginx after the switch",
        "    # backup: { volumes: [uploads], keep: 7, schedule: \"0 2 * * *\" }   # 'reconcile backup'",
        ""));
    return String.join("\n", lines);
  }
}
