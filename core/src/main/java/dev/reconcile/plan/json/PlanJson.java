package dev.reconcile.plan.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.Plan;
import dev.reconcile.plan.Problem;
import dev.reconcile.plan.Reason;
import dev.reconcile.plan.TrafficImpact;
import dev.reconcile.resource.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Writes a {@link Plan} as JSON, format 1, and reads it back (for {@code apply plan.json}). */
public final class PlanJson {
  public static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
      .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));

  private PlanJson() {}

  /** Pretty-printed JSON ending in a newline. */
  public static String write(Plan plan) {
    try {
      return PRETTY.writeValueAsString(toJson(plan)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a plan could not be written as JSON", e);
    }
  }

  public static ObjectNode toJson(Plan plan) {
    var json = JSON.createObjectNode();
    json.put("format_version", FORMAT_VERSION);
    json.put("spec_digest", plan.specDigest());
    json.put("observed_digest", plan.observedDigest());
    var summary = plan.summary();
    json.putObject("summary").put("create", summary.create()).put("update", summary.update())
        .put("replace", summary.replace()).put("delete", summary.delete())
        .put("noop", summary.noop());
    var changes = json.putArray("changes");
    plan.changes().forEach(c -> changes.add(change(c)));
    var problems = json.putArray("problems");
    plan.problems().forEach(p -> problems.addObject().put("id", p.id().toString())
        .put("message", p.message()).put("hint", p.hint()));
    return json;
  }

  private static ObjectNode change(Change change) {
    var json = JSON.createObjectNode();
    json.put("id", change.id().toString());
    json.put("action", change.action().word());
    change.slot().ifPresent(s -> json.put("slot", s));
    change.strategy().ifPresent(s -> json.put("strategy", s.word()));
    json.put("impact", change.impact().word());
    change.before().ifPresent(h -> json.put("before", h));
    change.after().ifPresent(h -> json.put("after", h));
    var reasons = json.putArray("reasons");
    change.reasons().forEach(r -> reasons.add(r.text()));
    var dependsOn = json.putArray("depends_on");
    change.dependsOn().forEach(id -> dependsOn.add(id.toString()));
    return json;
  }

  /** Reads a plan written by {@link #write}; throws {@link PlanFormatException} saying why not. */
  public static Plan read(String text) {
    JsonNode json;
    try {
      json = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new PlanFormatException("not JSON: " + e.getOriginalMessage());
    }
    var version = json.path("format_version").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new PlanFormatException("format_version " + json.path("format_version")
          + " is not " + FORMAT_VERSION + "; make the plan again with this version of reconcile");
    }
    try {
      var changes = new ArrayList<Change>();
      json.path("changes").forEach(c -> changes.add(readChange(c)));
      var problems = new ArrayList<Problem>();
      json.path("problems").forEach(p -> problems.add(new Problem(
          ResourceId.parse(p.get("id").asText()), p.get("message").asText(), p.get("hint").asText())));
      return new Plan(text(json, "spec_digest"), text(json, "observed_digest"), changes, problems);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new PlanFormatException("not a plan: " + e.getMessage());
    }
  }

  private static Change readChange(JsonNode json) {
    var reasons = new ArrayList<Reason>();
    // Reasons are for people: the wire format keeps their text only.
    json.path("reasons").forEach(r -> reasons.add(Reason.of("", r.asText())));
    var dependsOn = new ArrayList<ResourceId>();
    json.path("depends_on").forEach(d -> dependsOn.add(ResourceId.parse(d.asText())));
    return new Change(ResourceId.parse(text(json, "id")), Action.fromWord(text(json, "action")),
        optional(json, "slot"), optional(json, "before"), optional(json, "after"),
        optional(json, "strategy").map(UpdateStrategy::fromWord), reasons,
        TrafficImpact.fromWord(text(json, "impact")), List.copyOf(dependsOn));
  }

  private static String text(JsonNode json, String field) {
    var value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("missing text field '" + field + "'");
    }
    return value.asText();
  }

  private static Optional<String> optional(JsonNode json, String field) {
    return json.hasNonNull(field) ? Optional.of(json.get(field).asText()) : Optional.empty();
  }
}
