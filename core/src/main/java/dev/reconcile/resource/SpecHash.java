package dev.reconcile.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * SHA-256 over canonical JSON: object keys sorted, no whitespace. Two descriptions of a resource
 * hash the same exactly when they mean the same, however the YAML was laid out.
 */
public final class SpecHash {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SpecHash() {}

  /** The hash of a JSON value, as 64 lowercase hex digits. */
  public static String of(JsonNode value) {
    return sha256(canonicalJson(value));
  }

  /** The canonical text of a JSON value: keys sorted at every level, no spaces. */
  public static String canonicalJson(JsonNode value) {
    try {
      return JSON.writeValueAsString(sorted(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** SHA-256 of UTF-8 text, as 64 lowercase hex digits. */
  public static String sha256(String text) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** SHA-256 over lines, each followed by a newline. */
  public static String sha256OfLines(Iterable<String> lines) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      // Fed in chunks of about 64 KiB: one update per line costs more than the hashing itself.
      var chunk = new StringBuilder(1 << 16);
      for (var line : lines) {
        chunk.append(line).append('\n');
        if (chunk.length() >= 1 << 16) {
          digest.update(chunk.toString().getBytes(StandardCharsets.UTF_8));
          chunk.setLength(0);
        }
      }
      digest.update(chunk.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node instanceof ObjectNode object) {
      var fields = new TreeMap<String, JsonNode>();
      object.properties().forEach(e -> fields.put(e.getKey(), sorted(e.getValue())));
      var out = JsonNodeFactory.instance.objectNode();
      fields.forEach(out::set);
      return out;
    }
    if (node instanceof ArrayNode array) {
      var out = JsonNodeFactory.instance.arrayNode();
      array.forEach(item -> out.add(sorted(item)));
      return out;
    }
    return node;
  }
}
