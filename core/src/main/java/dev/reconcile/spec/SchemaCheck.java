package dev.reconcile.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.reconcile.diag.Diagnostic;
import dev.reconcile.schemas.Schemas;
import dev.reconcile.util.Suggestions;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Checks a document against the bundled JSON Schema (draft 2020-12) and turns each violation into
 * a diagnostic at the right place: unknown and misnamed keys at the key, wrong values at the
 * value, missing keys at the object that lacks them.
 */
public final class SchemaCheck {
  private final JsonSchema schema;
  private final JsonNode schemaTree;

  private SchemaCheck(JsonSchema schema, JsonNode schemaTree) {
    this.schema = schema;
    this.schemaTree = schemaTree;
  }

  /**
   * The process's one check for {@code projects.yml}, built on first use (by whichever thread
   * comes first; others wait for it). Validation through it is thread-safe: the build also
   * initialises the schema's lazily built validators.
   */
  public static SchemaCheck projects() {
    return Shared.INSTANCE;
  }

  private static final class Shared {
    private static final SchemaCheck INSTANCE;

    static {
      var check = forProjects();
      check.schema.initializeValidators();
      INSTANCE = check;
    }
  }

  /** A new check for {@code projects.yml}. Building it parses the schema: prefer {@link #projects()}. */
  public static SchemaCheck forProjects() {
    try (var in = Schemas.open(Schemas.PROJECTS)) {
      var tree = new ObjectMapper().readTree(in);
      var config = SchemaValidatorsConfig.builder()
          .pathType(PathType.JSON_POINTER)
          .locale(Locale.ROOT)
          .build();
      var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
      return new SchemaCheck(factory.getSchema(tree, config), tree);
    } catch (IOException e) {
      throw new UncheckedIOException("the bundled schema cannot be read", e);
    }
  }

  public Stream<Diagnostic> check(SpecDocument document) {
    var found = new ArrayList<Diagnostic>();
    for (var message : schema.validate(document.root())) {
      found.add(toDiagnostic(message, document));
    }
    return found.stream();
  }

  private Diagnostic toDiagnostic(ValidationMessage m, SpecDocument doc) {
    var path = toSpecPath(m.getInstanceLocation());
    var name = describe(path);
    return switch (m.getType()) {
      case "additionalProperties" -> unknownKey(m, doc, path);
      case "propertyNames" -> badName(m, doc, path);
      case "required" ->
        doc.errorAtKey(path, "missing required key '" + m.getProperty() + "'" + in(path));
      case "type" ->
        doc.errorAtValue(
            path,
            name + " must be " + expectedType(m.getSchemaNode()) + ", not " + actual(doc.at(path)));
      case "const" ->
        doc.errorAtValue(
            path, name + " must be " + m.getSchemaNode() + ", not " + shown(doc.at(path)));
      case "enum" ->
        doc.errorAtValue(
            path,
            name + " must be one of " + choices(m.getSchemaNode()) + ", not "
                + shown(doc.at(path)));
      case "pattern" ->
        withDescription(
            doc.errorAtValue(path, name + " has an invalid format: " + shown(doc.at(path))), m);
      case "minimum" ->
        doc.errorAtValue(
            path, name + " must be at least " + m.getSchemaNode() + ", not " + shown(doc.at(path)));
      case "exclusiveMinimum" ->
        doc.errorAtValue(
            path,
            name + " must be more than " + m.getSchemaNode() + ", not " + shown(doc.at(path)));
      case "maximum" ->
        doc.errorAtValue(
            path, name + " must be at most " + m.getSchemaNode() + ", not " + shown(doc.at(path)));
      case "exclusiveMaximum" ->
        doc.errorAtValue(
            path,
            name + " must be less than " + m.getSchemaNode() + ", not " + shown(doc.at(path)));
      case "minLength", "minItems", "minProperties" ->
        doc.errorAtValue(path, name + " must not be empty");
      case "uniqueItems" -> doc.errorAtValue(path, name + " lists the same item twice");
      default -> doc.errorAtValue(path, stripLocation(m.getMessage()));
    };
  }

  private Diagnostic unknownKey(ValidationMessage m, SpecDocument doc, SpecPath parent) {
    var key = m.getProperty();
    var allowed = allowedKeys(m);
    var d = doc.errorAtKey(parent.child(key), "unknown key '" + key + "'" + in(parent));
    return Suggestions.closest(key, allowed)
        .map(s -> d.withHint("did you mean '" + s + "'?"))
        .orElseGet(() ->
            allowed.isEmpty() ? d : d.withHint("allowed here: " + String.join(", ", allowed)));
  }

  private Diagnostic badName(ValidationMessage m, SpecDocument doc, SpecPath parent) {
    var key = m.getProperty();
    var isEnvVar = parent.last().equals("env");
    var d = doc.errorAtKey(
        parent.child(key), "invalid " + nameKind(parent) + " name '" + Texts.shown(key) + "'");
    return d.withHint(
        isEnvVar
            ? "an environment variable name is letters, digits and '_', not starting with a digit"
            : "a name is lowercase letters, digits and '-', at most 40 characters, "
                + "starting and ending with a letter or digit");
  }

  private static String nameKind(SpecPath parent) {
    return switch (parent.last()) {
      case "projects" -> "project";
      case "containers" -> "container";
      case "domains", "environments" -> "environment";
      case "volumes" -> "volume";
      case "hosts" -> "host";
      case "env" -> "environment variable";
      default -> "key";
    };
  }

  /** The property names of the schema object that rejected an unknown key. */
  private List<String> allowedKeys(ValidationMessage m) {
    var names = new ArrayList<String>();
    schemaOf(m).path("properties").fieldNames().forEachRemaining(names::add);
    return names;
  }

  private Diagnostic withDescription(Diagnostic d, ValidationMessage m) {
    var description = schemaOf(m).path("description").asText("");
    return description.isEmpty() ? d : d.withHint(lowerFirst(description));
  }

  /** The schema object holding the keyword that failed (the keyword's parent). */
  private JsonNode schemaOf(ValidationMessage m) {
    var fragment = m.getSchemaLocation().getFragment();
    var node = schemaTree;
    for (var i = 0; i < fragment.getNameCount() - 1; i++) {
      node = node.path(fragment.getName(i));
    }
    return node;
  }

  static SpecPath toSpecPath(JsonNodePath location) {
    var segments = new ArrayList<String>();
    for (var i = 0; i < location.getNameCount(); i++) {
      segments.add(String.valueOf(location.getElement(i)));
    }
    return new SpecPath(segments);
  }

  /** "'port'", or "item 2 of 'smoke'" for list items. */
  static String describe(SpecPath path) {
    if (path.isRoot()) {
      return "the document";
    }
    var last = path.last();
    // A list index: digits, and few enough for an int. A map key can be empty (YAML's "? ") or
    // all digits too; those read as keys.
    if (!path.parent().isRoot()
        && !last.isEmpty()
        && last.length() < 10
        && last.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return "item " + (Integer.parseInt(last) + 1) + " of '" + path.parent().last() + "'";
    }
    return "'" + last + "'";
  }

  private static String in(SpecPath path) {
    var s = path.segments();
    if (path.isRoot()) {
      return " at the top level";
    }
    if (s.size() == 2 && s.get(0).equals("projects")) {
      return " in project '" + s.get(1) + "'";
    }
    if (s.size() >= 2 && s.get(s.size() - 2).equals("containers")) {
      return " in container '" + s.get(s.size() - 1) + "'";
    }
    return " in '" + path + "'";
  }

  private static String expectedType(JsonNode typeNode) {
    var types = new ArrayList<String>();
    if (typeNode.isArray()) {
      typeNode.forEach(t -> types.add(t.asText()));
    } else {
      types.add(typeNode.asText());
    }
    var words = types.stream().map(SchemaCheck::article).toList();
    return words.size() == 1
        ? words.get(0)
        : String.join(", ", words.subList(0, words.size() - 1)) + " or "
            + words.get(words.size() - 1);
  }

  private static String article(String type) {
    return switch (type) {
      case "object" -> "a mapping";
      case "array" -> "a list";
      case "integer" -> "an integer";
      default -> "a " + type;
    };
  }

  private static String actual(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> "a mapping";
      case ARRAY -> "a list";
      case NULL, MISSING -> "empty";
      case BOOLEAN -> "a boolean (" + node.asText() + ")";
      case NUMBER -> "a number (" + node.asText() + ")";
      default -> "a string (\"" + Texts.shown(node.asText()) + "\")";
    };
  }

  private static String shown(JsonNode node) {
    return node.isTextual() ? "'" + Texts.shown(node.asText()) + "'" : Texts.shown(node.toString());
  }

  private static String choices(JsonNode enumNode) {
    var values = new ArrayList<String>();
    enumNode.forEach(v -> values.add(v.asText()));
    return String.join(", ", values);
  }

  private static String stripLocation(String message) {
    var colon = message.indexOf(": ");
    return colon > 0 && message.startsWith("/") ? message.substring(colon + 2) : message;
  }

  private static String lowerFirst(String s) {
    // "URL ..." stays as written: only a capital that starts an ordinary word is lowered.
    if (s.length() > 1 && Character.isUpperCase(s.charAt(1))) {
      return s;
    }
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
