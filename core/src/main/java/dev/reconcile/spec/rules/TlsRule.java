package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.model.TlsSettings;
import dev.reconcile.spec.SpecDocument;
import dev.reconcile.spec.SpecPath;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * HTTPS settings that must agree: {@code tls: auto} needs a CA, HTTPS has a port of its own, and
 * {@code tls: off} for a public domain is worth a warning (its traffic can be read and changed on
 * the way). Domains are never wildcards (DomainRule), so the CA's HTTP-01 challenge proves each.
 */
final class TlsRule implements SemanticRule {
  /** Names no public CA would certify: they never leave this machine or a private network. */
  private static final Pattern LOCAL = Pattern.compile(
      "(?i)(localhost|.*\\.(localhost|test|local|internal|invalid|example|lan|home\\.arpa)|[0-9.]+|\\[?[0-9a-f:]+]?)");

  static final int MAX_NAMES = 100;

  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    var platform = new Tree.At(SpecPath.of("platform"), doc.root().path("platform"));
    var acme = platform.get("tls").get("acme").node().isObject();
    Tree.projects(doc).forEach(project -> {
      var choices = new ArrayList<Tree.At>();
      choices.add(project.get("tls"));
      project.fields("environments").forEach(env -> choices.add(env.get("tls")));
      for (var choice : choices) {
        var word = choice.node().asText("");
        if (word.equals("auto") && !acme) {
          out.add(doc.errorAtValue(
              choice.path(),
              "tls: auto gets certificates from a CA, and "
                  + "platform.tls.acme names none: add it (e.g. directory: "
                  + TlsSettings.Acme.LETS_ENCRYPT + "), or give tls: {certificate, key}"));
        }
        if (word.equals("off")) {
          environmentsOf(project, choice).stream()
              .flatMap(env -> Tree.domainValues(env).stream())
              .filter(d -> !LOCAL.matcher(d.node().asText()).matches())
              .forEach(d -> out.add(Diagnostic.warning(
                  doc.valuePosition(d.path()),
                  d.path().toString(),
                  "tls: off serves " + d.node().asText() + " over plain HTTP: anyone on the way "
                      + "can read and change its traffic")));
        }
      }
    });
    // One order covers an environment's domains; Let's Encrypt signs at most 100 names in one.
    if (acme) {
      Tree.projects(doc)
          .flatMap(p -> p.fields("domains").filter(env -> isAuto(p, env.name())))
          .filter(env -> Tree.domainValues(env).size() > MAX_NAMES)
          .forEach(env -> out.add(doc.errorAtKey(
              env.path(),
              "environment '" + env.name() + "' has "
                  + Tree.domainValues(env).size()
                  + " domains; a certificate from the CA covers at most " + MAX_NAMES
                  + ": split it, or give it tls: {certificate, key}")));
    }
    var nginx = platform.get("nginx");
    var tls = nginx.get("listen_tls");
    if (tls.node().isTextual()) {
      var text = tls.node().asText();
      var port = text.substring(text.lastIndexOf(':') + 1);
      if (port.matches("[0-9]{1,5}")
          && (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
        out.add(doc.errorAtValue(tls.path(), "port " + port + " is not within 1-65535"));
      }
      var listen = nginx.get("listen").node().asText("127.0.0.1:8080");
      if (listen.endsWith(":" + port) && (!text.contains(":") || text.equals(listen))) {
        out.add(doc.errorAtValue(
            tls.path(),
            "HTTPS needs a port of its own: listen already serves " + "plain HTTP on " + listen));
      }
    }
    return out.stream();
  }

  /** The environments a tls entry governs: its own, or every one of the project without its own. */
  private static List<Tree.At> environmentsOf(Tree.At project, Tree.At choice) {
    var owner = choice.path().parent();
    if (!owner.equals(project.path())) {
      var env = owner.last();
      return project.fields("domains").filter(d -> d.name().equals(env)).toList();
    }
    return project
        .fields("domains")
        .filter(d -> project.get("environments").get(d.name()).get("tls").node().isMissingNode())
        .toList();
  }

  /** Whether an environment gets its certificate from the CA (the default once one is named). */
  private static boolean isAuto(Tree.At project, String environment) {
    var own = project.get("environments").get(environment).get("tls").node();
    var chosen = own.isMissingNode() ? project.get("tls").node() : own;
    return chosen.isMissingNode() || chosen.asText("").equals("auto");
  }
}
