package dev.reconcile.execute;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.model.Registry;
import dev.reconcile.provider.ContainerRuntime.Login;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.spec.Interpolation;
import dev.reconcile.util.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Pre-flight of images: every image a plan starts must be on its host. One that the configured
 * registry holds is pulled there first, before anything changes; any other is a problem.
 */
final class ImagePulls {
  /** Long enough for a large image on a slow link; a stuck pull must not hold the apply forever. */
  static final Duration LIMIT = Duration.ofMinutes(15);

  private ImagePulls() {}

  /** @param pullAllowed false when pre-flight failed already: then a pullable image is only named */
  static List<String> ensure(
      RolloutContext ctx, List<DesiredContainer> toStart, boolean pullAllowed)
      throws InterruptedException {
    var problems = new ArrayList<String>();
    var done = new HashSet<String>();
    for (var container : toStart) {
      var image = container.fingerprint().image();
      if (ctx.observed().imageIdOf(container.host(), image).isPresent()
          || !done.add(container.host() + " " + image)) {
        continue;
      }
      var registry = image.startsWith("sha256:")
          ? Optional.<Registry>empty()
          : ctx.spec().platform().registry().filter(r -> r.holds(image));
      if (registry.isEmpty()) {
        problems.add(
            container.id() + ": image " + image + " is not on host " + container.host() + " ("
                + (ctx.spec().platform().registry().isPresent()
                    ? "and platform.registry does not hold it"
                    : "no platform.registry is set to pull it from")
                + ": build it there, or docker pull / docker load it)");
        continue;
      }
      if (pullAllowed) {
        pull(ctx, container, registry.get()).ifPresent(problems::add);
      } else {
        problems.add(container.id() + ": image " + image + " is not on host " + container.host()
            + " yet; it is pulled from " + registry.get().server()
            + " once the problems above are fixed");
      }
    }
    return problems;
  }

  /** Pulls the container's image; a problem for the user when that fails. */
  private static Optional<String> pull(
      RolloutContext ctx, DesiredContainer container, Registry registry)
      throws InterruptedException {
    var image = container.fingerprint().image();
    var login = login(ctx, container, registry);
    if (login instanceof Either.Problem p) {
      return Optional.of(p.text());
    }
    var host = Checks.present(
        ctx.spec().platform().hosts().get(container.host()), "host %s", container.host());
    var started = System.nanoTime();
    try {
      ctx.runtime()
          .pull(
              host,
              image,
              ((Either.Found) login).login(),
              LIMIT,
              progress ->
                  ctx.listener().progress(container.id(), "pulling " + image + ": " + progress));
    } catch (ProviderException e) {
      ctx.listener().step(container.id(), "pull of " + image + " failed");
      return Optional.of(container.id() + ": cannot pull " + image + " from " + registry.server()
          + ": " + e.getMessage() + (e.hint().isEmpty() ? "" : " (" + e.hint() + ")"));
    }
    ctx.listener()
        .step(
            container.id(),
            String.format("pulled %s (%.1f s)", image, (System.nanoTime() - started) / 1e9));
    return Optional.empty();
  }

  private sealed interface Either {
    record Found(Optional<Login> login) implements Either {}

    record Problem(String text) implements Either {}
  }

  /** The registry's login with its password resolved; none when the registry needs none. */
  private static Either login(RolloutContext ctx, DesiredContainer container, Registry registry) {
    if (registry.username().isEmpty() || registry.password().isEmpty()) {
      return new Either.Found(Optional.empty());
    }
    var project = ctx.projectOf(container.id());
    var lookup = ctx.variables().lookupFor(project, container.id().environment());
    return switch (Interpolation.resolve(registry.password().get().template(), lookup)) {
      case Interpolation.Resolved.Value v ->
        new Either.Found(
            Optional.of(new Login(registry.server(), registry.username().get(), v.text())));
      case Interpolation.Resolved.Missing m ->
        new Either.Problem("platform.registry.password needs " + String.join(", ", m.names())
            + ", which has no value (set it in the environment of apply)");
    };
  }
}
