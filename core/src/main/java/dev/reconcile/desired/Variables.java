package dev.reconcile.desired;

import dev.reconcile.model.ProjectSpec;
import dev.reconcile.spec.EnvFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Where {@code ${VAR}} gets its value for one project environment. */
@FunctionalInterface
public interface Variables {
  Function<String, Optional<String>> lookupFor(ProjectSpec project, String environment);

  /** How secret values are digested; the engine's variables carry the state directory's key. */
  default SecretDigest secrets() {
    return SecretDigest.UNKEYED;
  }

  /** These variables, with secrets digested under {@code digest}. */
  default Variables withSecrets(SecretDigest digest) {
    var self = this;
    return new Variables() {
      @Override
      public Function<String, Optional<String>> lookupFor(ProjectSpec project, String environment) {
        return self.lookupFor(project, environment);
      }

      @Override
      public Optional<String> readFile(String path) {
        return self.readFile(path);
      }

      @Override
      public String resolve(String path) {
        return self.resolve(path);
      }

      @Override
      public SecretDigest secrets() {
        return digest;
      }
    };
  }

  /**
   * The text of a file projects.yml names (a certificate), relative to its folder; empty when it
   * cannot be read. Never used for keys: their bytes stay out of every hash.
   */
  default Optional<String> readFile(String path) {
    return Optional.empty();
  }

  /** A path projects.yml gives, made absolute against its folder. */
  default String resolve(String path) {
    return path;
  }

  /** No variable has a value: every {@code ${VAR}} without a default stays unresolved. */
  Variables NONE = (project, environment) -> name -> Optional.empty();

  /**
   * The process environment first, then the project's {@code env_file} for the environment,
   * relative to {@code baseDir}; a missing file holds no values.
   */
  static Variables fromFiles(Path baseDir, Map<String, String> processEnv) {
    return new Variables() {
      @Override
      public Function<String, Optional<String>> lookupFor(ProjectSpec project, String environment) {
        var file = project.envFileFor(environment).map(baseDir::resolve);
        try {
          var values = file.isPresent() ? EnvFile.read(file.get()) : Map.<String, String>of();
          return EnvFile.lookup(processEnv, values);
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot read env file " + file.get() + ": " + e.getMessage(), e);
        }
      }

      @Override
      public Optional<String> readFile(String path) {
        try {
          return Optional.of(Files.readString(Path.of(resolve(path))));
        } catch (IOException | RuntimeException e) {
          return Optional.empty();
        }
      }

      @Override
      public String resolve(String path) {
        return baseDir.resolve(path).toAbsolutePath().normalize().toString();
      }
    };
  }
}
