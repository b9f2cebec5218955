package dev.reconcile.plan.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.reconcile.schemas.Schemas;
import dev.reconcile.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden plan is valid against plan.schema.json and reads back to the same plan. */
class PlanJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012)
      .getSchema(Schemas.text(Schemas.PLAN));

  static Stream<Path> plans() {
    return Golden.cases(Path.of("src/test/resources/plans")).map(d -> d.resolve("plan.json"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void goldenPlan_validatesAgainstPlanSchema(Path file) throws Exception {
    var errors = SCHEMA.validate(JSON.readTree(file.toFile()));

    assertThat(errors).as(file.toString()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void read_goldenPlan_writesBackIdentically(Path file) throws Exception {
    var text = Files.readString(file);

    assertThat(PlanJson.write(PlanJson.read(text))).isEqualTo(text);
  }

  @Test
  void read_otherFormatVersion_isRefusedWithWhatToDo() {
    assertThatThrownBy(() -> PlanJson.read("{\"format_version\": 9}"))
        .isInstanceOf(PlanFormatException.class)
        .hasMessageContaining("make the plan again");
  }

  @Test
  void read_notJson_isRefused() {
    assertThatThrownBy(() -> PlanJson.read("plan: yes"))
        .isInstanceOf(PlanFormatException.class)
        .hasMessageStartingWith("not JSON");
  }
}
