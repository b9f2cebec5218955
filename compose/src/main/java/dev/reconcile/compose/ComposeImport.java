package dev.reconcile.compose;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.diag.Diagnostics;
import dev.reconcile.diag.SourcePosition;
import dev.reconcile.util.Texts;
import dev.reconcile.validate.SpecValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code reconcile import compose}: compose files (and the nginx site in front of them) to a
 * projects.yml draft that validates, checked before anything is written.
 */
public final class ComposeImport {
  private ComposeImport() {}

  /**
   * @param files the compose files, in compose's {@code -f} order
   * @param envFile compose's {@code --env-file}; default {@code .env} beside the first file
   * @param project the project's name in projects.yml; default compose's project name
   * @param domains environment to domain
   * @param site an existing nginx site for the project's domains
   * @param specShownAs how the draft is named in its diagnostics
   * @param envFileName the env file the draft names, relative to projects.yml
   * @param adopt whether the draft takes over compose's volumes (their data in place)
   */
  public record Options(
      List<Path> files,
      Optional<Path> envFile,
      Optional<String> project,
      Map<String, String> domains,
      Optional<Path> site,
      String specShownAs,
      String envFileName,
      boolean adopt) {
    /** Only these files, everything else as by default: projects.yml and reconcile.env. */
    public static Options of(List<Path> files) {
      return new Options(
          files,
          Optional.empty(),
          Optional.empty(),
          Map.of(),
          Optional.empty(),
          "projects.yml",
          "reconcile.env",
          false);
    }
  }

  /** The draft and how it validated, or why there is none. */
  public sealed interface Result {
    record Drafted(Draft draft, Diagnostics validation) implements Result {}

    record Failed(Diagnostics diagnostics) implements Result {}
  }

  public static Result draft(Options options, Map<String, String> processEnv) {
    var read =
        new ComposeReader(processEnv).read(options.files(), options.envFile(), options.project());
    if (read.project().isEmpty()) {
      return new Result.Failed(read.diagnostics());
    }
    Optional<NginxSite> site = Optional.empty();
    if (options.site().isPresent()) {
      var path = options.site().get();
      try {
        if (!Files.isRegularFile(path) || Files.size(path) > (4 << 20)) {
          return failed(path, "not a site file (a regular file of at most 4 MiB)");
        }
        site = Optional.of(
            NginxSite.parse(Files.readString(path, StandardCharsets.UTF_8), path.toString()));
      } catch (NginxSite.Unreadable e) {
        return new Result.Failed(Diagnostics.of(
            Diagnostic.error(SourcePosition.startOf(path.toString()), "", Texts.messageOf(e))));
      } catch (IOException e) {
        return failed(path, "cannot read it: " + Texts.messageOf(e));
      }
    }
    var compose = read.project().get();
    var draft = Draft.write(new Draft.Inputs(
        compose,
        site,
        Draft.name(options.project().orElse(compose.name())),
        options.domains(),
        String.join(", ", options.files().stream().map(Path::toString).toList()),
        options.site().map(Path::toString),
        options.envFileName(),
        options.adopt(),
        options.site().map(p -> p.toAbsolutePath().normalize().toString())));
    var validation = SpecValidator.standard()
        .validate(draft.text().getBytes(StandardCharsets.UTF_8), options.specShownAs())
        .diagnostics();
    return new Result.Drafted(draft, validation);
  }

  private static Result failed(Path path, String message) {
    return new Result.Failed(
        Diagnostics.of(Diagnostic.error(SourcePosition.startOf(path.toString()), "", message)));
  }
}
