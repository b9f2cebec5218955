package dev.reconcile.model;

import java.util.Optional;

/**
 * The registry that images missing on their host are pulled from. Images are pulled only when
 * their reference names this registry; tags are taken as immutable, so a present image is never
 * pulled again.
 *
 * @param server as written at the start of image references: {@code registry.example.com:5000},
 *     {@code ghcr.io}; {@code docker.io} for Docker Hub
 * @param password usually {@code ${VAR}}; resolved only when pulling, never shown
 */
public record Registry(String server, Optional<String> username, Optional<EnvValue> password) {
  public static final String DOCKER_HUB = "docker.io";

  /** Whether an image (a valid reference) is pulled from this registry. */
  public boolean holds(String image) {
    return registryOf(ImageRef.of(image)).equals(canonical(server));
  }

  /** The registry a reference names; Docker Hub when it names none. */
  private static String registryOf(ImageRef image) {
    return image.registry().map(Registry::canonical).orElse(DOCKER_HUB);
  }

  private static String canonical(String server) {
    return server.equals("index.docker.io") || server.equals("registry-1.docker.io")
        ? DOCKER_HUB
        : server;
  }
}
