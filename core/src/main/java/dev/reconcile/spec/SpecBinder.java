package dev.reconcile.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reconcile.model.Adoption;
import dev.reconcile.model.BackupPolicy;
import dev.reconcile.model.BackupTarget;
import dev.reconcile.model.ContainerOverride;
import dev.reconcile.model.ContainerSpec;
import dev.reconcile.model.DatabaseDump;
import dev.reconcile.model.EnvValue;
import dev.reconcile.model.EnvironmentOverride;
import dev.reconcile.model.FrontDoorPolicy;
import dev.reconcile.model.HealthCheck;
import dev.reconcile.model.HostSpec;
import dev.reconcile.model.ImageRef;
import dev.reconcile.model.NetworkPool;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.model.Platform;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.model.PortRange;
import dev.reconcile.model.ProjectSpec;
import dev.reconcile.model.Proxy;
import dev.reconcile.model.Registry;
import dev.reconcile.model.Release;
import dev.reconcile.model.Resources;
import dev.reconcile.model.SmokeCheck;
import dev.reconcile.model.TlsChoice;
import dev.reconcile.model.TlsSettings;
import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.util.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Binds an error-free document into the model, applying defaults. It trusts the schema and the
 * rules: it is never called on a document with errors.
 */
public final class SpecBinder {
  private SpecBinder() {}

  public static PlatformSpec bind(JsonNode root) {
    var projects = map(root.path("projects"), SpecBinder::project);
    return new PlatformSpec(
        root.path("version").asInt(), platform(root.path("platform")), projects);
  }

  private static Platform platform(JsonNode p) {
    var ports = p.path("ports").asText(PortRange.DEFAULT.toString());
    var dash = ports.indexOf('-');
    var hosts = p.has("hosts")
        ? map(p.path("hosts"), SpecBinder::host)
        : Map.<String, HostSpec>of(
            Platform.DEFAULT_HOST,
            new HostSpec.Docker(Platform.DEFAULT_HOST, HostSpec.Docker.DEFAULT_ENDPOINT));
    return new Platform(
        p.path("state_dir").asText(".reconcile"),
        text(p.path("state_host")),
        new PortRange(
            Integer.parseInt(ports.substring(0, dash)),
            Integer.parseInt(ports.substring(dash + 1))),
        p.path("history").asInt(10),
        nginx(p.path("nginx")),
        hosts,
        text(p.path("notify").path("webhook")).map(EnvValue::new),
        p.path("notify").path("format").asText("slack"),
        p.has("registry") ? Optional.of(registry(p.path("registry"))) : Optional.empty(),
        backupTarget(p.path("backup_target")),
        tls(p.path("tls")),
        NetworkPool.parse(p.path("networks").path("pool").asText(NetworkPool.DEFAULT.toString())));
  }

  private static TlsSettings tls(JsonNode t) {
    var acme = t.path("acme");
    return new TlsSettings(
        acme.isObject()
            ? Optional.of(new TlsSettings.Acme(
                acme.path("directory").asText(),
                text(acme.path("email")),
                text(acme.path("ca_bundle"))))
            : Optional.empty(),
        duration(t.path("renew_before"), TlsSettings.DEFAULT_RENEW_BEFORE),
        duration(t.path("hsts_max_age"), TlsSettings.DEFAULT_HSTS_MAX_AGE));
  }

  private static Optional<TlsChoice> tlsChoice(JsonNode t) {
    if (t.isTextual()) {
      return Optional.of(TlsChoice.fromWord(t.asText()));
    }
    return t.isObject()
        ? Optional.of(
            new TlsChoice.Files(t.path("certificate").asText(), t.path("key").asText()))
        : Optional.empty();
  }

  private static Optional<BackupTarget> backupTarget(JsonNode t) {
    if (t.isTextual()) {
      return Optional.of(BackupTarget.folder(t.asText()));
    }
    if (!t.isObject()) {
      return Optional.empty();
    }
    var server = (HostSpec.Ssh) host(BackupTarget.SERVER_NAME, sshOnly(t));
    return Optional.of(new BackupTarget(t.path("path").asText(), Optional.of(server)));
  }

  /** The target's connection keys in the form of an ssh host's. */
  private static JsonNode sshOnly(JsonNode t) {
    var h = JsonNodeFactory.instance.objectNode();
    h.put("ssh", t.path("sftp").asText());
    for (var key : List.of("identity", "known_hosts")) {
      if (t.has(key)) {
        h.set(key, t.path(key));
      }
    }
    return h;
  }

  private static Registry registry(JsonNode r) {
    return new Registry(
        r.path("server").asText(),
        text(r.path("username")),
        text(r.path("password")).map(EnvValue::new));
  }

  private static NginxSettings nginx(JsonNode n) {
    if ("system".equals(n.path("mode").asText())) {
      var reload = n.has("reload_command")
          ? strings(n.path("reload_command"))
          : NginxSettings.System.DEFAULT_RELOAD;
      var test = n.has("test_command")
          ? strings(n.path("test_command"))
          : NginxSettings.System.DEFAULT_TEST;
      return new NginxSettings.System(
          n.path("conf_dir").asText("/etc/nginx/conf.d"),
          reload,
          test,
          text(n.path("listen")),
          n.path("listen_tls").asText(NginxSettings.DEFAULT_TLS_PORT));
    }
    var listen = n.path("listen").asText("127.0.0.1:8080");
    var colon = listen.lastIndexOf(':');
    return new NginxSettings.Managed(
        listen.substring(0, colon),
        Integer.parseInt(listen.substring(colon + 1)),
        n.path("listen_tls").asText(NginxSettings.DEFAULT_TLS_PORT));
  }

  private static HostSpec host(String name, JsonNode h) {
    if (h.has("swarm") && !h.has("ssh")) {
      return new HostSpec.Docker(
          name,
          h.path("swarm").asText(),
          duration(h.path("timeout"), HostSpec.Docker.DEFAULT_TIMEOUT),
          true,
          "public".equals(h.path("task_ports").asText()));
    }
    if (!h.has("ssh")) {
      return new HostSpec.Docker(
          name,
          h.path("docker").asText(HostSpec.Docker.DEFAULT_ENDPOINT),
          duration(h.path("timeout"), HostSpec.Docker.DEFAULT_TIMEOUT));
    }
    var ssh = h.path("ssh").asText();
    var at = ssh.indexOf('@');
    var colon = ssh.indexOf(':', at);
    var address = colon < 0 ? ssh.substring(at + 1) : ssh.substring(at + 1, colon);
    var port = colon < 0 ? 22 : Integer.parseInt(ssh.substring(colon + 1));
    return new HostSpec.Ssh(
        name,
        ssh.substring(0, at),
        address,
        port,
        text(h.path("identity")),
        text(h.path("known_hosts")),
        h.path("state_dir").asText(HostSpec.Ssh.DEFAULT_STATE_DIR),
        h.has("nginx") ? Optional.of(nginx(h.path("nginx"))) : Optional.empty(),
        h.path("swarm").asBoolean(false),
        "public".equals(h.path("task_ports").asText()));
  }

  private static Adoption adoption(JsonNode a) {
    if (a.isMissingNode()) {
      return Adoption.NONE;
    }
    return new Adoption(
        map(a.path("volumes"), (volume, from) -> from.asText()),
        text(a.path("compose")),
        strings(a.path("containers")),
        text(a.path("site")));
  }

  private static ProjectSpec project(String name, JsonNode p) {
    var domains = new LinkedHashMap<String, List<String>>();
    p.path("domains")
        .properties()
        .forEach(e -> domains.put(
            e.getKey(),
            e.getValue().isTextual() ? List.of(e.getValue().asText()) : strings(e.getValue())));
    var environments = map(
        p.path("environments"),
        (env, o) -> new EnvironmentOverride(
            map(o.path("containers"), SpecBinder::override),
            tlsChoice(o.path("tls")),
            adoption(o.path("adopt"))));
    return new ProjectSpec(
        name,
        p.path("host").asText(Platform.DEFAULT_HOST),
        domains,
        text(p.path("env_file")),
        strings(p.path("required_env")),
        map(p.path("containers"), SpecBinder::container),
        environments,
        p.has("backup") ? Optional.of(backup(p.path("backup"))) : Optional.empty(),
        tlsChoice(p.path("tls")),
        frontDoor(p));
  }

  private static FrontDoorPolicy frontDoor(JsonNode p) {
    var headers = map(
        p.path("headers"),
        (name, value) -> value.isNull() ? Optional.<String>empty() : Optional.of(value.asText()));
    var max5xx = p.path("bake").path("max_5xx").asText("");
    return new FrontDoorPolicy(
        headers,
        text(p.path("nginx_snippet")),
        max5xx.isEmpty()
            ? FrontDoorPolicy.DEFAULT_MAX_5XX
            : Double.parseDouble(max5xx.substring(0, max5xx.length() - 1)) / 100);
  }

  /** A container from its projects.yml form (as snapshots keep it); the input must be valid. */
  public static ContainerSpec containerFrom(String name, JsonNode c) {
    return container(name, c);
  }

  private static ContainerSpec container(String name, JsonNode c) {
    var o = override(name, c);
    return new ContainerSpec(
        name,
        o.image().orElseThrow(),
        o.port(),
        o.apiLocations().orElse(List.of()),
        o.env(),
        o.volumes(),
        o.command().orElse(List.of()),
        o.health(),
        o.smoke().orElse(List.of()),
        o.update(),
        o.replicas().orElse(ContainerSpec.ONE),
        o.resources(),
        o.release(),
        o.dependsOn().orElse(List.of()),
        new Proxy(
            o.maxBody().orElse(Proxy.DEFAULT_MAX_BODY),
            o.timeout().orElse(Proxy.DEFAULT_TIMEOUT),
            o.buffering().orElse(true)),
        o.sharedWith().orElse(List.of()),
        o.stopGrace());
  }

  private static ContainerOverride override(String name, JsonNode c) {
    return new ContainerOverride(
        text(c.path("image")).map(ImageRef::of),
        c.has("port") ? OptionalInt.of(c.path("port").asInt()) : OptionalInt.empty(),
        c.has("api_locations") ? Optional.of(strings(c.path("api_locations"))) : Optional.empty(),
        map(
            c.path("env"),
            (k, v) -> v.isObject()
                ? new EnvValue(v.path("value").asText(), v.path("secret").asBoolean())
                : new EnvValue(v.asText())),
        map(c.path("volumes"), (k, v) -> v.asText()),
        c.has("command") ? Optional.of(strings(c.path("command"))) : Optional.empty(),
        c.has("health") ? Optional.of(health(c.path("health"))) : Optional.empty(),
        c.has("smoke") ? Optional.of(list(c.path("smoke"), SpecBinder::smoke)) : Optional.empty(),
        text(c.path("update")).map(UpdateStrategy::fromWord),
        c.has("replicas") ? OptionalInt.of(c.path("replicas").asInt()) : OptionalInt.empty(),
        c.has("resources")
            ? Optional.of(new Resources(
                c.path("resources").has("cpus")
                    ? Optional.of(c.path("resources").path("cpus").asDouble())
                    : Optional.empty(),
                c.path("resources").has("memory")
                    ? Resources.bytes(c.path("resources").path("memory").asText())
                    : OptionalLong.empty()))
            : Optional.empty(),
        c.has("release") ? Optional.of(release(c.path("release"))) : Optional.empty(),
        c.has("depends_on") ? Optional.of(strings(c.path("depends_on"))) : Optional.empty(),
        c.has("max_body")
            ? Optional.of(Resources.bytes(c.path("max_body").asText()).orElseThrow())
            : Optional.empty(),
        c.has("timeout")
            ? Optional.of(duration(c.path("timeout"), Proxy.DEFAULT_TIMEOUT))
            : Optional.empty(),
        c.has("buffering") ? Optional.of(c.path("buffering").asBoolean()) : Optional.empty(),
        c.has("shared_with") ? Optional.of(strings(c.path("shared_with"))) : Optional.empty(),
        c.has("stop_grace")
            ? Optional.of(duration(c.path("stop_grace"), ContainerSpec.ENGINE_STOP_GRACE))
            : Optional.empty());
  }

  private static Release release(JsonNode r) {
    return r.isArray()
        ? new Release(strings(r), Release.DEFAULT_TIMEOUT)
        : new Release(
            strings(r.path("command")), duration(r.path("timeout"), Release.DEFAULT_TIMEOUT));
  }

  private static HealthCheck health(JsonNode h) {
    return new HealthCheck(
        text(h.path("path")),
        strings(h.path("command")),
        duration(h.path("interval"), HealthCheck.DEFAULT_INTERVAL),
        duration(h.path("timeout"), HealthCheck.DEFAULT_TIMEOUT),
        h.path("retries").asInt(HealthCheck.DEFAULT_RETRIES));
  }

  private static SmokeCheck smoke(JsonNode s) {
    return new SmokeCheck(
        s.path("path").asText(),
        s.path("status").asInt(SmokeCheck.DEFAULT_STATUS),
        text(s.path("contains")));
  }

  private static BackupPolicy backup(JsonNode b) {
    return new BackupPolicy(
        b.path("before_deploy").asBoolean(true),
        strings(b.path("volumes")),
        b.path("keep").asInt(BackupPolicy.DEFAULT_KEEP),
        text(b.path("schedule")),
        b.path("keep_daily").asInt(0),
        b.path("keep_weekly").asInt(0),
        b.path("keep_monthly").asInt(0),
        List.copyOf(map(b.path("databases"), SpecBinder::database).values()));
  }

  private static DatabaseDump database(String name, JsonNode d) {
    return new DatabaseDump(
        name,
        DatabaseDump.Engine.fromWord(d.path("engine").asText()),
        d.path("container").asText(),
        text(d.path("database")),
        text(d.path("user")),
        text(d.path("path")),
        strings(d.path("dump")),
        strings(d.path("restore")));
  }

  static Duration duration(JsonNode node, Duration fallback) {
    if (!node.isTextual()) {
      return fallback;
    }
    return Durations.parse(node.asText())
        .orElseThrow(() -> new IllegalStateException("unvalidated duration " + node.asText()));
  }

  private static Optional<String> text(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? Optional.of(node.asText()) : Optional.empty();
  }

  private static List<String> strings(JsonNode node) {
    return list(node, JsonNode::asText);
  }

  private static <T> List<T> list(JsonNode node, Function<JsonNode, T> item) {
    var out = new ArrayList<T>();
    node.forEach(n -> out.add(item.apply(n)));
    return out;
  }

  private static <T> Map<String, T> map(JsonNode node, BiFunction<String, JsonNode, T> value) {
    var out = new LinkedHashMap<String, T>();
    node.properties().forEach(e -> out.put(e.getKey(), value.apply(e.getKey(), e.getValue())));
    return out;
  }
}
