package dev.reconcile.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryTest {
  private static Registry at(String server) {
    return new Registry(server, Optional.empty(), Optional.empty());
  }

  @Test
  void holds_imagesThatNameItsServerOnly() {
    var registry = at("registry.example.com:5000");

    assertThat(registry.holds("registry.example.com:5000/shop/web:1.4")).isTrue();
    assertThat(registry.holds("registry.example.com/shop/web:1.4"))
        .as("another port is another registry")
        .isFalse();
    assertThat(registry.holds("shop/web:1.4"))
        .as("a path without registry is Docker Hub")
        .isFalse();
  }

  @Test
  void holds_dockerHubImagesWrittenAnyWay() {
    var hub = at("docker.io");

    assertThat(hub.holds("nginx:1.27")).isTrue();
    assertThat(hub.holds("library/nginx:1.27")).isTrue();
    assertThat(hub.holds("index.docker.io/library/nginx:1.27")).isTrue();
    assertThat(hub.holds("localhost/web:1")).isFalse();
    assertThat(at("registry-1.docker.io").holds("nginx:1.27")).isTrue();
  }
}
