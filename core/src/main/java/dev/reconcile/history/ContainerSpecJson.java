package dev.reconcile.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.desired.SecretDigest;
import dev.reconcile.model.ContainerSpec;
import dev.reconcile.model.Proxy;
import dev.reconcile.resource.SpecHash;
import dev.reconcile.spec.SpecBinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container spec in its projects.yml form, env values as written ({@code ${VAR}} stays a
 * reference), so that a snapshot can start it again. Secrets are never stored: a value written
 * out in projects.yml under a secret-like name ({@code SECRET_KEY: hunter2}) is kept only as its
 * keyed digest under {@code hidden_env}; a rollback takes the value from projects.yml while its
 * digest still matches.
 */
public final class ContainerSpecJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ContainerSpecJson() {}

  /** The spec read back, and the digests of the literal secrets it did not store. */
  public record Read(ContainerSpec spec, Map<String, String> hiddenEnv) {}

  /**
   * @param where the container's resource id, as the digest of its secrets is salted with it
   */
  public static String write(ContainerSpec spec, SecretDigest secrets, String where) {
    var json = JSON.createObjectNode();
    json.put("image", spec.image().toString());
    spec.port().ifPresent(p -> json.put("port", p));
    if (!spec.apiLocations().isEmpty()) {
      var locations = json.putArray("api_locations");
      spec.apiLocations().forEach(locations::add);
    }
    var env = json.putObject("env");
    var hidden = JSON.createObjectNode();
    spec.env().forEach((k, v) -> {
      if (v.isSecretUnder(k) && !v.isInterpolated()) {
        hidden.put(k, secrets.of(where, k, v.template()));
      } else {
        env.put(k, v.template());
      }
    });
    if (!hidden.isEmpty()) {
      json.set("hidden_env", hidden);
    }
    var volumes = json.putObject("volumes");
    spec.volumes().forEach(volumes::put);
    if (!spec.command().isEmpty()) {
      var command = json.putArray("command");
      spec.command().forEach(command::add);
    }
    spec.health().ifPresent(h -> {
      ObjectNode health = json.putObject("health");
      h.path().ifPresent(p -> health.put("path", p));
      if (!h.command().isEmpty()) {
        var argv = health.putArray("command");
        h.command().forEach(argv::add);
      }
      health
          .put("interval", h.interval().toMillis() + "ms")
          .put("timeout", h.timeout().toMillis() + "ms")
          .put("retries", h.retries());
    });
    var smoke = json.putArray("smoke");
    spec.smoke().forEach(c -> {
      var check = smoke.addObject().put("path", c.path()).put("status", c.status());
      c.contains().ifPresent(t -> check.put("contains", t));
    });
    spec.update().ifPresent(u -> json.put("update", u.word()));
    if (spec.replicas() != ContainerSpec.ONE) {
      json.put("replicas", spec.replicas());
    }
    spec.resources().ifPresent(r -> {
      var limits = json.putObject("resources");
      r.cpus().ifPresent(c -> limits.put("cpus", c));
      r.memory().ifPresent(m -> limits.put("memory", Long.toString(m)));
    });
    spec.release().ifPresent(r -> {
      var release = json.putObject("release");
      var argv = release.putArray("command");
      r.command().forEach(argv::add);
      release.put("timeout", r.timeout().toMillis() + "ms");
    });
    strings(json, "depends_on", spec.dependsOn());
    strings(json, "shared_with", spec.sharedWith());
    // Only what differs from the defaults: older snapshots read back the same.
    if (spec.proxy().maxBody() != Proxy.DEFAULT_MAX_BODY) {
      json.put("max_body", Long.toString(spec.proxy().maxBody()));
    }
    if (!spec.proxy().timeout().equals(Proxy.DEFAULT_TIMEOUT)) {
      json.put("timeout", spec.proxy().timeout().toMillis() + "ms");
    }
    if (!spec.proxy().buffering()) {
      json.put("buffering", false);
    }
    spec.stopGrace().ifPresent(g -> json.put("stop_grace", g.toSeconds() + "s"));
    return SpecHash.canonicalJson(json);
  }

  private static void strings(ObjectNode json, String key, List<String> values) {
    if (!values.isEmpty()) {
      var array = json.putArray(key);
      values.forEach(array::add);
    }
  }

  public static Read read(String name, String text) {
    try {
      JsonNode json = JSON.readTree(text);
      var hidden = new TreeMap<String, String>();
      json.path("hidden_env")
          .properties()
          .forEach(e -> hidden.put(e.getKey(), e.getValue().asText()));
      if (json instanceof ObjectNode o) {
        o.remove("hidden_env");
      }
      return new Read(SpecBinder.containerFrom(name, json), hidden);
    } catch (IOException e) {
      throw new UncheckedIOException("a snapshot's container spec is not JSON", e);
    }
  }
}
