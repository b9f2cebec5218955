package dev.reconcile.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Manifests as text, and the strict check of that text: read back through the typed model, every
 * field must be one the model knows (fabric8 keeps unknown ones in {@code additionalProperties},
 * which must stay empty everywhere), and writing it again must give the same text.
 */
public final class Manifests {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR))
      .setDefaultPropertyInclusion(JsonInclude.Value.construct(
          JsonInclude.Include.NON_EMPTY, JsonInclude.Include.USE_DEFAULTS))
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Manifests() {}

  /** One YAML document per object, separated by {@code ---}, as kubectl apply -f reads them. */
  public static String yaml(List<HasMetadata> objects) {
    var out = new StringBuilder();
    for (var object : objects) {
      if (!out.isEmpty()) {
        out.append("---\n");
      }
      out.append(write(object));
    }
    return out.toString();
  }

  private static String write(HasMetadata object) {
    try {
      return YAML.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write " + object.getKind() + ": " + e.getMessage(), e);
    }
  }

  /** What is wrong with the text of these objects, read back strictly; empty when nothing. */
  public static List<String> check(List<HasMetadata> objects) {
    var problems = new ArrayList<String>();
    for (var object : objects) {
      var where = object.getKind() + " " + object.getMetadata().getName();
      var text = write(object);
      try {
        var back = YAML.readValue(text, object.getClass());
        unknownFields(back, where, problems, new IdentityHashMap<>());
        if (!write(back).equals(text)) {
          problems.add(where + ": not the same once read back and written again");
        }
        if (object.getApiVersion() == null || object.getKind() == null) {
          problems.add(where + ": no apiVersion or kind");
        }
      } catch (JsonProcessingException e) {
        problems.add(where + ": " + e.getOriginalMessage());
      }
    }
    return problems;
  }

  /** Every object of the model in the tree, by its getters: none may hold fields it does not know. */
  private static void unknownFields(
      Object node, String where, List<String> problems, Map<Object, Boolean> seen) {
    if (node == null || seen.put(node, true) != null) {
      return;
    }
    if (node instanceof Collection<?> items) {
      items.forEach(i -> unknownFields(i, where, problems, seen));
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.values().forEach(v -> unknownFields(v, where, problems, seen));
      return;
    }
    if (!(node instanceof KubernetesResource)
        && !node.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (var method : node.getClass().getMethods()) {
      if (method.getParameterCount() != 0
          || !method.getName().startsWith("get")
          || method.getDeclaringClass() == Object.class) {
        continue;
      }
      try {
        var value = method.invoke(node);
        if (method.getName().equals("getAdditionalProperties")
            && value instanceof Map<?, ?> extra) {
          if (!extra.isEmpty()) {
            problems.add(where + ": fields Kubernetes does not know: " + extra.keySet() + " in "
                + node.getClass().getSimpleName());
          }
          continue;
        }
        unknownFields(value, where, problems, seen);
      } catch (IllegalAccessException | InvocationTargetException e) {
        // Not a property.
      }
    }
  }
}
