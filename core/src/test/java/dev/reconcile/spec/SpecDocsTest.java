package dev.reconcile.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.schemas.Schemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/spec.md documents every property the schema knows, so the reference cannot fall behind. */
class SpecDocsTest {
  @Test
  void specReference_mentionsEverySchemaProperty() throws IOException {
    var schema = new ObjectMapper().readTree(Schemas.text(Schemas.PROJECTS));
    var names = new TreeSet<String>();
    collect(schema, names);
    var docs = Files.readString(Path.of("../docs/spec.md"));

    var missing = names.stream().filter(n -> !docs.contains("`" + n + "`")).toList();

    assertThat(names).hasSizeGreaterThan(30);
    assertThat(missing)
        .as("schema properties not documented in docs/spec.md as `name`")
        .isEmpty();
  }

  private static void collect(JsonNode node, TreeSet<String> names) {
    if (node.isObject()) {
      node.path("properties").fieldNames().forEachRemaining(names::add);
      node.forEach(child -> collect(child, names));
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, names));
    }
  }
}
