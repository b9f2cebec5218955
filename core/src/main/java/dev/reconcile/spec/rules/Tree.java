package dev.reconcile.spec.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reconcile.spec.SpecDocument;
import dev.reconcile.spec.SpecPath;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Tolerant walks over the raw spec tree: nodes of the wrong shape are simply not visited. */
final class Tree {
  private Tree() {}

  /** A node and where it is. */
  record At(SpecPath path, JsonNode node) {
    String name() {
      return path.last();
    }

    Stream<At> fields(String key) {
      return Tree.fields(path.child(key), node.path(key));
    }

    Stream<At> items(String key) {
      return Tree.items(path.child(key), node.path(key));
    }

    At get(String key) {
      return new At(path.child(key), node.path(key));
    }
  }

  static Stream<At> fields(SpecPath path, JsonNode node) {
    if (!node.isObject()) {
      return Stream.empty();
    }
    var out = new ArrayList<At>();
    node.properties().forEach(e -> out.add(new At(path.child(e.getKey()), e.getValue())));
    return out.stream();
  }

  static Stream<At> items(SpecPath path, JsonNode node) {
    if (!node.isArray()) {
      return Stream.empty();
    }
    var out = new ArrayList<At>();
    for (var i = 0; i < node.size(); i++) {
      out.add(new At(path.child(i), node.get(i)));
    }
    return out.stream();
  }

  static Stream<At> projects(SpecDocument doc) {
    return fields(SpecPath.of("projects"), doc.root().path("projects"));
  }

  /** A project's declared containers. */
  static Stream<At> containers(At project) {
    return project.fields("containers");
  }

  /** Containers named in a project's environment overrides. */
  static Stream<At> overrideContainers(At project) {
    return project.fields("environments").flatMap(env -> env.fields("containers"));
  }

  /** Declared and override containers alike: what any per-container check must look at. */
  static Stream<At> allContainers(At project) {
    return Stream.concat(containers(project), overrideContainers(project));
  }

  /** The domains of one environment entry: a string or a list of strings. */
  static List<At> domainValues(At environment) {
    if (environment.node().isTextual()) {
      return List.of(environment);
    }
    return items(environment.path(), environment.node())
        .filter(d -> d.node().isTextual())
        .toList();
  }

  static Stream<At> textItems(At list) {
    return items(list.path(), list.node()).filter(i -> i.node().isTextual());
  }
}
