package dev.reconcile.plan.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reconcile.desired.Selection;
import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.HeldEnvironment;
import dev.reconcile.plan.Plan;
import dev.reconcile.plan.Problem;
import dev.reconcile.plan.Reason;
import dev.reconcile.plan.Summary;
import dev.reconcile.plan.TrafficImpact;
import dev.reconcile.resource.ResourceId;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** Writes a {@link Plan} as JSON, format 1, and reads it back (for {@code apply plan.json}). */
public final class PlanJson {
  public static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
      .withSeparators(
          Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
      .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);

  private PlanJson() {}

  /** Pretty-printed JSON ending in a newline. Streamed: plans of thousands of changes are common. */
  public static String write(Plan plan) {
    var out = new StringWriter();
    try (var json = JSON.getFactory().createGenerator(out)) {
      json.setPrettyPrinter(PRETTY);
      json.writeStartObject();
      json.writeNumberField("format_version", FORMAT_VERSION);
      json.writeStringField("spec_digest", plan.specDigest());
      json.writeStringField("observed_digest", plan.observedDigest());
      summary(json, plan.summary());
      json.writeArrayFieldStart("changes");
      for (var change : plan.changes()) {
        change(json, change);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("problems");
      for (var p : plan.problems()) {
        json.writeStartObject();
        json.writeStringField("id", p.id().toString());
        json.writeStringField("message", p.message());
        json.writeStringField("hint", p.hint());
        json.writeEndObject();
      }
      json.writeEndArray();
      if (!plan.selection().equals(Selection.ALL) || !plan.options().equals(DiffOptions.DEFAULT)) {
        json.writeObjectFieldStart("made_with");
        json.writeArrayFieldStart("projects");
        for (var project : new TreeSet<>(plan.selection().projects())) {
          json.writeString(project);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("environments");
        for (var environment : new TreeSet<>(plan.selection().environments())) {
          json.writeString(environment);
        }
        json.writeEndArray();
        json.writeBooleanField("delete_volumes", plan.options().deleteVolumes());
        json.writeEndObject();
      }
      if (!plan.lineages().isEmpty()) {
        json.writeObjectFieldStart("history");
        for (var e : plan.lineages().entrySet()) {
          json.writeObjectFieldStart(e.getKey());
          json.writeStringField("lineage", e.getValue().lineage());
          json.writeNumberField("serial", e.getValue().serial());
          json.writeEndObject();
        }
        json.writeEndObject();
      }
      if (!plan.holds().isEmpty()) {
        json.writeArrayFieldStart("holds");
        for (var h : plan.holds()) {
          json.writeStartObject();
          json.writeStringField("environment", h.environment());
          json.writeNumberField("snapshot", h.serial());
          json.writeStringField("by", h.by());
          json.writeStringField("since", h.since());
          json.writeArrayFieldStart("held_back");
          for (var c : h.heldBack()) {
            json.writeString(c);
          }
          json.writeEndArray();
          json.writeEndObject();
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("a plan could not be written as JSON", e);
    }
    return out + "\n";
  }

  private static void summary(JsonGenerator json, Summary summary) throws IOException {
    json.writeObjectFieldStart("summary");
    json.writeNumberField("create", summary.create());
    json.writeNumberField("update", summary.update());
    json.writeNumberField("replace", summary.replace());
    json.writeNumberField("delete", summary.delete());
    json.writeNumberField("noop", summary.noop());
    json.writeEndObject();
  }

  private static void change(JsonGenerator json, Change change) throws IOException {
    json.writeStartObject();
    json.writeStringField("id", change.id().toString());
    json.writeStringField("action", change.action().word());
    if (change.slot().isPresent()) {
      json.writeStringField("slot", change.slot().get());
    }
    if (change.strategy().isPresent()) {
      json.writeStringField("strategy", change.strategy().get().word());
    }
    json.writeStringField("impact", change.impact().word());
    if (change.before().isPresent()) {
      json.writeStringField("before", change.before().get());
    }
    if (change.after().isPresent()) {
      json.writeStringField("after", change.after().get());
    }
    json.writeArrayFieldStart("reasons");
    for (var reason : change.reasons()) {
      json.writeString(reason.text());
    }
    json.writeEndArray();
    json.writeArrayFieldStart("depends_on");
    for (var id : change.dependsOn()) {
      json.writeString(id.toString());
    }
    json.writeEndArray();
    json.writeEndObject();
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
      throw new PlanFormatException("format_version " + json.path("format_version") + " is not "
          + FORMAT_VERSION + "; make the plan again with this version of reconcile");
    }
    try {
      var changes = new ArrayList<Change>();
      json.path("changes").forEach(c -> changes.add(readChange(c)));
      var problems = new ArrayList<Problem>();
      json.path("problems")
          .forEach(p -> problems.add(new Problem(
              ResourceId.parse(p.get("id").asText()),
              p.get("message").asText(),
              p.get("hint").asText())));
      var holds = new ArrayList<HeldEnvironment>();
      json.path("holds").forEach(h -> {
        var back = new ArrayList<String>();
        h.path("held_back").forEach(b -> back.add(b.asText()));
        holds.add(new HeldEnvironment(
            text(h, "environment"),
            h.path("snapshot").asInt(),
            text(h, "by"),
            text(h, "since"),
            back));
      });
      var lineages = new TreeMap<String, Plan.Lineage>();
      json.path("history")
          .properties()
          .forEach(e -> lineages.put(
              e.getKey(),
              new Plan.Lineage(
                  text(e.getValue(), "lineage"), e.getValue().path("serial").asInt())));
      var made = json.path("made_with");
      var projects = new HashSet<String>();
      made.path("projects").forEach(n -> projects.add(n.asText()));
      var environments = new HashSet<String>();
      made.path("environments").forEach(n -> environments.add(n.asText()));
      return new Plan(
          text(json, "spec_digest"),
          text(json, "observed_digest"),
          changes,
          problems,
          holds,
          lineages,
          new Selection(projects, environments),
          new DiffOptions(made.path("delete_volumes").asBoolean(false)));
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
    return new Change(
        ResourceId.parse(text(json, "id")),
        Action.fromWord(text(json, "action")),
        optional(json, "slot"),
        optional(json, "before"),
        optional(json, "after"),
        optional(json, "strategy").map(UpdateStrategy::fromWord),
        reasons,
        TrafficImpact.fromWord(text(json, "impact")),
        List.copyOf(dependsOn));
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
