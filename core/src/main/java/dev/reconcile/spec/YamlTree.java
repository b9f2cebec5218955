package dev.reconcile.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reconcile.diag.Diagnostic;
import dev.reconcile.diag.SourcePosition;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Turns a composed YAML node graph into a JSON tree plus the position of every key and value.
 * It is where duplicate keys, non-string keys, unsupported tags, recursive aliases and alias
 * expansion past the node limit are caught; each becomes a diagnostic, and the first value of a
 * duplicated key is kept so that later checks still see a tree.
 */
final class YamlTree {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String file;
  private final LoadLimits limits;
  private final Map<SpecPath, SpecDocument.Marks> marks = new HashMap<>();
  private final List<Diagnostic> problems = new ArrayList<>();
  private final Map<Node, Boolean> onStack = new IdentityHashMap<>();
  private int nodes;

  /** Thrown inside the walk only, to stop when a limit is passed; never leaves this class. */
  private static final class LimitReached extends RuntimeException {
    LimitReached() {
      super(null, null, false, false);
    }
  }

  private YamlTree(String file, LoadLimits limits) {
    this.file = file;
    this.limits = limits;
  }

  record Result(
      JsonNode root, Map<SpecPath, SpecDocument.Marks> marks, List<Diagnostic> problems) {}

  static Result build(String file, Node root, LoadLimits limits) {
    var tree = new YamlTree(file, limits);
    JsonNode json;
    try {
      json = tree.convert(root, SpecPath.ROOT, null);
    } catch (LimitReached stop) {
      json = JSON.missingNode();
    }
    return new Result(json, tree.marks, tree.problems);
  }

  private JsonNode convert(Node node, SpecPath path, @Nullable SourcePosition key) {
    var here = position(node);
    marks.put(path, new SpecDocument.Marks(key, here));
    if (++nodes > limits.maxNodes()) {
      problems.add(Diagnostic.error(
              here,
              path.toString(),
              "the document expands to more than " + limits.maxNodes() + " nodes")
          .withHint("a YAML alias bomb? Use fewer aliases (*name) of large collections"));
      throw new LimitReached();
    }
    if (path.depth() > limits.maxDepth()) {
      problems.add(Diagnostic.error(
          here, path.toString(), "nesting is deeper than " + limits.maxDepth() + " levels"));
      throw new LimitReached();
    }
    if (onStack.put(node, Boolean.TRUE) != null) {
      problems.add(
          Diagnostic.error(here, path.toString(), "recursive alias: a node contains itself"));
      throw new LimitReached();
    }
    try {
      return switch (node) {
        case MappingNode m -> mapping(m, path);
        case SequenceNode s -> sequence(s, path);
        case ScalarNode s -> scalar(s, path, here);
        default -> JSON.nullNode();
      };
    } finally {
      onStack.remove(node);
    }
  }

  private JsonNode mapping(MappingNode node, SpecPath path) {
    var object = JSON.objectNode();
    var firstSeen = new HashMap<String, SourcePosition>();
    for (var tuple : node.getValue()) {
      var keyPos = position(tuple.getKeyNode());
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
        problems.add(Diagnostic.error(keyPos, path.toString(), "a key must be a plain string"));
        continue;
      }
      var key = keyNode.getValue();
      var first = firstSeen.putIfAbsent(key, keyPos);
      if (first != null) {
        problems.add(
            Diagnostic.error(keyPos, path.child(key).toString(), "duplicate key '" + key + "'")
                .withHint("'" + key + "' is first defined at line " + first.line()
                    + "; remove one of them"));
        continue;
      }
      object.set(key, convert(tuple.getValueNode(), path.child(key), keyPos));
    }
    return object;
  }

  private JsonNode sequence(SequenceNode node, SpecPath path) {
    var array = JSON.arrayNode();
    var items = node.getValue();
    for (var i = 0; i < items.size(); i++) {
      array.add(convert(items.get(i), path.child(i), null));
    }
    return array;
  }

  private JsonNode scalar(ScalarNode node, SpecPath path, SourcePosition here) {
    var text = node.getValue();
    var tag = node.getTag();
    // The engine tags plain ${VAR} scalars !ENV_VARIABLE; to us they are strings that
    // Interpolation resolves later.
    if (tag.equals(Tag.STR) || tag.equals(Tag.ENV_TAG)) {
      return JSON.textNode(text);
    }
    if (tag.equals(Tag.NULL)) {
      return JSON.nullNode();
    }
    if (tag.equals(Tag.BOOL)) {
      return JSON.booleanNode(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
    }
    if (tag.equals(Tag.INT)) {
      return integer(text, path, here);
    }
    if (tag.equals(Tag.FLOAT)) {
      try {
        var value = Double.parseDouble(text);
        if (Double.isFinite(value)) {
          return JSON.numberNode(value);
        }
        // 1e999 parses as infinity, which no check (nor JSON) can compare.
        problems.add(Diagnostic.error(here, path.toString(), "a number too large: " + text));
      } catch (NumberFormatException e) {
        // .inf, .nan: kept as written, and the schema says what was expected.
      }
      return JSON.textNode(text);
    }
    problems.add(Diagnostic.error(
        here, path.toString(), "unsupported YAML tag " + tag.getValue() + ": use plain values"));
    return JSON.textNode(text);
  }

  private JsonNode integer(String text, SpecPath path, SourcePosition here) {
    try {
      var value = new BigInteger(text.replace("_", "").replace("+", ""));
      return value.bitLength() < 32
          ? JSON.numberNode(value.intValue())
          : value.bitLength() < 64 ? JSON.numberNode(value.longValue()) : JSON.numberNode(value);
    } catch (NumberFormatException e) {
      problems.add(Diagnostic.error(here, path.toString(), "not a decimal integer: " + text));
      return JSON.textNode(text);
    }
  }

  private SourcePosition position(Node node) {
    return node.getStartMark()
        .map(m -> new SourcePosition(file, m.getLine() + 1, m.getColumn() + 1))
        .orElse(SourcePosition.startOf(file));
  }
}
