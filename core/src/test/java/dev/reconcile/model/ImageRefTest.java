package dev.reconcile.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "nginx",
        "nginx:1.27",
        "library/nginx:1.27-alpine",
        "ghcr.io/user/filter-ical-backend:1.4.2",
        "localhost:5000/team/app:v2",
        "registry.example.com:443/a/b/c:latest",
        "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "app:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "my_app__x.y-z:TAG_1.0"
      })
  void parse_validReference_roundTrips(String text) {
    var parsed = ImageRef.parse(text);

    assertThat(parsed).isInstanceOf(ImageRef.Parsed.Valid.class);
    assertThat(((ImageRef.Parsed.Valid) parsed).ref().toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "app/UPPER",
        "app:",
        "app:-x",
        "app:.x",
        "a//b",
        "app@sha256:abc",
        "app@md5",
        "app@sha512:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "app:1.0 --privileged",
        "app;rm -rf /",
        "-app",
        "app-",
        "reg istry.io/app",
        "app:tag:tag"
      })
  void parse_invalidReference_saysWhy(String text) {
    assertThat(ImageRef.parse(text)).isInstanceOf(ImageRef.Parsed.Invalid.class);
  }

  @org.junit.jupiter.api.Test
  void parse_registryAndTag_areSplit() {
    var ref = ImageRef.of("localhost:5000/team/app:v2");

    assertThat(ref.registry()).contains("localhost:5000");
    assertThat(ref.path()).isEqualTo("team/app");
    assertThat(ref.tag()).contains("v2");
    assertThat(ref.isPinned()).isTrue();
    assertThat(ImageRef.of("team/app").isPinned()).isFalse();
  }
}
