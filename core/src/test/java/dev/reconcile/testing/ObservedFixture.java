package dev.reconcile.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.desired.ContainerFingerprint;
import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.DesiredState;
import dev.reconcile.desired.Networking;
import dev.reconcile.desired.SiteFingerprint;
import dev.reconcile.observed.Conflict;
import dev.reconcile.observed.ImageTag;
import dev.reconcile.observed.ObservedAdoption;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.observed.ObservedState;
import dev.reconcile.observed.ObservedVolume;
import dev.reconcile.observed.Serving;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads {@code observed.json} of a golden plan case: observed resources described as "what was
 * declared, except ...", so a case states only its difference. A container's {@code recorded}
 * object is merged over the declared fingerprint ({@code false}: no readable label); a site's
 * likewise; {@code edited: true} marks a hand-edited site file, {@code rendered_otherwise: true} one the
 * front door would render otherwise today. The networks of environments with
 * an observed container are observed unless {@code networks} lists others.
 */
public final class ObservedFixture {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ObservedFixture() {}

  public static ObservedState read(Path file, DesiredState desired) {
    if (!Files.exists(file)) {
      return ObservedState.EMPTY;
    }
    try {
      return parse(JSON.readTree(file.toFile()), desired);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObservedState parse(JsonNode json, DesiredState desired) {
    var found = new ArrayList<ObservedResource>();
    json.path("containers").forEach(c -> found.add(container(c, desired)));
    json.path("sites").forEach(s -> found.add(site(s, desired)));
    // A certificate: its names and expiry, observed at a fixed moment (the plan counts from it).
    json.path("certificates").forEach(c -> {
      var id = ResourceId.parse(c.get("id").asText());
      var names = new java.util.ArrayList<String>();
      c.path("domains").forEach(d -> names.add(d.asText()));
      var hash = c.has("spec_hash")
          ? SpecHash.sha256(c.get("spec_hash").asText())
          : desired.get(id).map(d -> d.specHash()).orElse(SpecHash.sha256(id.toString()));
      found.add(new dev.reconcile.observed.ObservedCertificate(
          id,
          "tls/" + id.project() + "." + id.environment() + ".pem",
          hash,
          names,
          java.time.Instant.parse(c.get("not_after").asText()),
          "CN=test CA",
          SpecHash.sha256(c.toString()),
          java.time.Instant.parse(c.path("observed_at").asText("2026-11-30T12:00:00Z"))));
    });
    // Networks: as listed (an id, its network of names; or {id, names}: those engine networks);
    // when not listed, those of every environment with an observed container (an environment
    // made before networks existed lists none: "networks": []).
    var networks = new java.util.TreeSet<ResourceId>();
    var names = new java.util.HashMap<ResourceId, java.util.List<String>>();
    if (json.has("networks")) {
      json.path("networks").forEach(n -> {
        var id = ResourceId.parse(n.isObject() ? n.get("id").asText() : n.asText());
        networks.add(id);
        if (n.isObject()) {
          var listed = new ArrayList<String>();
          n.get("names").forEach(name -> listed.add(name.asText()));
          names.put(id, listed);
        }
      });
    } else {
      found.stream()
          .filter(r -> r instanceof ObservedContainer)
          .map(r -> ResourceId.network(r.id().project(), r.id().environment()))
          .filter(n -> desired.get(n).isPresent())
          .forEach(networks::add);
    }
    networks.forEach(id -> {
      var name = dev.reconcile.desired.Networking.of(id);
      var hash = desired.get(id).map(d -> d.specHash()).orElse(SpecHash.sha256(id.toString()));
      var engineNetworks = names.getOrDefault(id, java.util.List.of(name));
      found.add(new dev.reconcile.observed.ObservedNetwork(
          id,
          "local",
          engineNetworks,
          engineNetworks.stream().map(n -> "10.210.0.0/24").toList(),
          hash));
    });
    json.path("volumes").forEach(v -> {
      var id = ResourceId.parse(v.get("id").asText());
      var hash = desired.get(id).map(d -> d.specHash()).orElse(SpecHash.sha256(id.toString()));
      found.add(new ObservedVolume(
          id,
          "local",
          id.project() + "-" + id.environment() + "-" + id.name().orElseThrow(),
          hash,
          v.has("adopted_from") ? Optional.of(v.get("adopted_from").asText()) : Optional.empty()));
    });
    // Containers from before reconcile an environment takes over: {id, containers: [{name, running,
    // volumes, service}]}.
    json.path("adopted").forEach(a -> {
      var legacy = new ArrayList<ObservedAdoption.Legacy>();
      a.path("containers").forEach(c -> {
        var volumes = new ArrayList<String>();
        c.path("volumes").forEach(v -> volumes.add(v.asText()));
        legacy.add(new ObservedAdoption.Legacy(
            c.get("name").asText(),
            SpecHash.sha256(c.get("name").asText()).substring(0, 64),
            c.path("running").asBoolean(true),
            volumes,
            c.path("service").asText("")));
      });
      found.add(new ObservedAdoption(ResourceId.parse(a.get("id").asText()), "local", legacy));
    });
    var conflicts = new ArrayList<Conflict>();
    json.path("conflicts")
        .forEach(c -> conflicts.add(new Conflict(
            c.get("host").asText(),
            c.get("holder").asText(),
            c.get("what").asText(),
            ResourceId.parse(c.get("blocks").asText()))));
    var tags = new ArrayList<ImageTag>();
    json.path("tags")
        .forEach(t -> tags.add(new ImageTag(
            t.get("host").asText(),
            t.get("reference").asText(),
            t.get("image_id").asText())));
    return ObservedState.of(found, conflicts, tags);
  }

  private static ObservedContainer container(JsonNode json, DesiredState desired) {
    var id = ResourceId.parse(json.get("id").asText());
    var declared = desired.get(id).map(DesiredContainer.class::cast);
    var base = declared.map(d -> d.fingerprint().toJson()).orElseGet(() -> (ObjectNode)
        JSON.createObjectNode().put("image", "gone/app:1").set("env", JSON.createObjectNode()));
    Optional<ContainerFingerprint> recorded = json.path("recorded").isBoolean()
        ? Optional.empty()
        : ContainerFingerprint.fromJson(merge(base, json.path("recorded")));
    var hash = recorded.map(ContainerFingerprint::specHash).orElse(SpecHash.sha256("no label"));
    var image = json.has("image")
        ? json.get("image").asText()
        : recorded.map(ContainerFingerprint::image).orElse("gone/app:1");
    var slot = json.path("slot").asText("blue");
    // The engine networks it is on: given, or where the tool puts it (one recorded with no network
    // of names where its environment has one was made before networks, on Docker's default
    // bridge).
    var networks = new ArrayList<String>();
    if (json.has("networks")) {
      json.get("networks").forEach(n -> networks.add(n.asText()));
    } else if (recorded.flatMap(ContainerFingerprint::network).isPresent()) {
      networks.add(Networking.EGRESS);
      networks.add(recorded.get().network().get());
    } else if (declared
            .flatMap(DesiredContainer::networking)
            .filter(n -> !n.named())
            .isPresent()
        && recorded.isPresent()) {
      networks.add(Networking.EGRESS);
    } else {
      networks.add("bridge");
    }
    return new ObservedContainer(
        id,
        "local",
        SpecHash.sha256(id + slot).substring(0, 12),
        id.project() + "-" + id.name().orElseThrow() + "-" + id.environment() + "-" + slot,
        slot,
        image,
        json.path("image_id").asText("sha256:" + SpecHash.sha256(image)),
        json.path("state").asText("running"),
        Optional.empty(),
        json.has("port") ? OptionalInt.of(json.get("port").asInt()) : OptionalInt.empty(),
        hash,
        recorded,
        networks);
  }

  private static ObservedSite site(JsonNode json, DesiredState desired) {
    var id = ResourceId.parse(json.get("id").asText());
    var base = desired
        .get(id)
        .map(d -> ((DesiredSite) d).fingerprint().toJson())
        .orElseGet(() -> new SiteFingerprint(
                java.util.List.of("gone.example.com"), java.util.List.of(), "")
            .toJson());
    var recorded = SiteFingerprint.fromJson(merge(base, json.path("recorded"))).orElseThrow();
    var upstreams = new LinkedHashMap<String, String>();
    json.path("upstreams")
        .properties()
        .forEach(e -> upstreams.put(e.getKey(), e.getValue().asText()));
    var revision = SpecHash.sha256(json.toString()).substring(0, 16);
    return new ObservedSite(
        id,
        "sites/" + id.project() + "." + id.environment() + ".conf",
        recorded.specHash(),
        Optional.of(recorded),
        upstreams,
        SpecHash.sha256(json.toString()),
        json.path("edited").asBoolean(false),
        Optional.of(revision),
        serving(json, revision, upstreams),
        json.path("routed_live").asBoolean(false),
        // The front door would render the declaration otherwise today: a plugin came or went.
        json.path("rendered_otherwise").asBoolean(false)
            ? Optional.of(SpecHash.sha256("otherwise " + json))
            : Optional.of(SpecHash.sha256(json.toString())));
  }

  /**
   * {@code serving}: absent (nginx serves the file), {@code down}, {@code not-served}, {@code
   * unknown}, or {@code stale} with {@code served_upstreams} (an older file is served).
   */
  private static Serving serving(JsonNode json, String revision, Map<String, String> upstreams) {
    return switch (json.path("serving").asText("current")) {
      case "down" -> new Serving.Down("nginx is not running");
      case "not-served" -> new Serving.NotServed("HTTP 404");
      case "unknown" -> Serving.UNKNOWN;
      case "stale" -> {
        var served = new LinkedHashMap<String, String>();
        json.path("served_upstreams")
            .properties()
            .forEach(e -> served.put(e.getKey(), e.getValue().asText()));
        yield new Serving.Serves("00000000000000aa", served);
      }
      default -> new Serving.Serves(revision, upstreams);
    };
  }

  private static ObjectNode merge(ObjectNode base, JsonNode overrides) {
    var out = base.deepCopy();
    if (overrides instanceof ObjectNode o) {
      o.properties().forEach(e -> {
        if (e.getValue().isNull()) {
          out.remove(e.getKey());
        } else if (e.getValue().isObject() && out.path(e.getKey()).isObject()) {
          out.set(e.getKey(), merge((ObjectNode) out.get(e.getKey()), e.getValue()));
        } else {
          out.set(e.getKey(), e.getValue());
        }
      });
    }
    return out;
  }
}
