package dev.reconcile.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SpecHashTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void of_keyOrderAndWhitespace_doNotMatter() throws Exception {
    var a = JSON.readTree("{\"b\": 1, \"a\": {\"y\": [1, 2], \"x\": null}}");
    var b = JSON.readTree("{\"a\":{\"x\":null,\"y\":[1,2]},\"b\":1}");

    assertThat(SpecHash.of(a)).isEqualTo(SpecHash.of(b)).hasSize(64).matches("[0-9a-f]+");
  }

  @Test
  void of_arrayOrderAndValues_matter() throws Exception {
    var a = JSON.readTree("{\"a\": [1, 2]}");

    assertThat(SpecHash.of(a))
        .isNotEqualTo(SpecHash.of(JSON.readTree("{\"a\": [2, 1]}")))
        .isNotEqualTo(SpecHash.of(JSON.readTree("{\"a\": [1, 3]}")));
  }

  @Test
  void canonicalJson_sortsKeysAtEveryLevel() throws Exception {
    assertThat(SpecHash.canonicalJson(JSON.readTree("{\"b\":{\"d\":1,\"c\":2},\"a\":true}")))
        .isEqualTo("{\"a\":true,\"b\":{\"c\":2,\"d\":1}}");
  }
}
