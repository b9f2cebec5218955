package dev.reconcile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked example of docs/plugins.md, as a user would run it: examples/request-id is compiled
 * against reconcile's own classes into a jar of its own, put in RECONCILE_PLUGINS, and from then
 * on every request through the front door carries an id; without it, nothing changes.
 */
class PluginIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path EXAMPLE = ROOT.resolve("examples/request-id");

  @TempDir
  Path dir;

  private Path plugins;
  private WebProject web;

  /** The example, compiled and packed as its own pom would: classes and its services file. */
  @BeforeEach
  void buildThePlugin() throws Exception {
    var classes = dir.resolve("classes");
    Files.createDirectories(classes);
    var sources = new ArrayList<String>();
    try (var files = Files.walk(EXAMPLE.resolve("src/main/java"))) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> sources.add(f.toString()));
    }
    var args = new ArrayList<>(List.of(
        "--release", "21", "-cp", System.getProperty("java.class.path"), "-d", classes.toString()));
    args.addAll(sources);
    assertThat(
            ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)))
        .as("javac of the example")
        .isZero();
    plugins = dir.resolve("plugins");
    Files.createDirectories(plugins);
    try (var jar = new JarOutputStream(Files.newOutputStream(plugins.resolve("request-id.jar")))) {
      for (var root : List.of(classes, EXAMPLE.resolve("src/main/resources"))) {
        try (var files = Files.walk(root)) {
          for (var file : files.filter(Files::isRegularFile).toList()) {
            jar.putNextEntry(new JarEntry(root.relativize(file).toString()));
            Files.copy(file, jar);
            jar.closeEntry();
          }
        }
      }
    }
    web = WebProject.atV1(dir, "rcplug", "0s", "0s");
  }

  @AfterEach
  void cleanUp() throws Exception {
    web.cleanUp();
  }

  private record Ran(int exitCode, String output) {}

  private Ran withPlugins(String plugins, List<String> args) throws Exception {
    var log = dir.resolve("run-" + System.nanoTime() + ".log");
    var process = Launched.start(Map.of("RECONCILE_PLUGINS", plugins), log, args);
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("ended").isTrue();
    return new Ran(process.exitValue(), Files.readString(log));
  }

  private String headers() throws Exception {
    return TestHosts.run(
        "curl",
        "-sS",
        "--max-time",
        "10",
        "-D",
        "-",
        "-o",
        "/dev/null",
        "-H",
        "Host: " + web.name + ".test",
        "http://127.0.0.1:" + web.listen + "/");
  }

  @Test
  void aPluginOnThePath_isListedFirst_andItsFrontDoorGivesEveryRequestAnId() throws Exception {
    assertThat(headers()).doesNotContainIgnoringCase("x-request-id");

    var version = withPlugins(plugins.toString(), List.of("--version"));
    assertThat(version.output())
        .contains("request-id (plugin org.example.reconcile.RequestIds from "
            + plugins.resolve("request-id.jar") + "): SiteControl")
        .contains("nginx (built in): SiteControl");
    assertThat(version.output().indexOf("request-id ("))
        .as("plugins come first")
        .isLessThan(version.output().indexOf("nginx (built in)"));

    web.write("v2");
    var applied = withPlugins(plugins.toString(), web.applyArgs());
    assertThat(applied.exitCode()).as(applied.output()).isZero();
    assertThat(web.get().body()).contains("version v2");
    assertThat(headers().toLowerCase()).containsPattern("\nx-request-id: [0-9a-f]{32}\r?\n");
    var plan = withPlugins(
        plugins.toString(), List.of("-f", web.spec.toString(), "plan", "--detailed-exitcode"));
    assertThat(plan.exitCode())
        .as("the site the plugin rendered is as planned: " + plan.output())
        .isZero();

    // Without the plugin, the front door would render the site otherwise: the plan says so.
    var without = web.run("plan", "--detailed-exitcode");
    assertThat(without.exitCode()).as(without.out() + without.err()).isEqualTo(2);
    assertThat(without.out())
        .contains("~ site:" + web.name + "/production", "renders this site differently now");
    var drift = web.run("drift");
    assertThat(drift.exitCode())
        .as("the file is as applied: not drift " + drift.out() + drift.err())
        .isZero();
    var rendered = web.apply();
    assertThat(rendered.exitCode()).as(rendered.out() + rendered.err()).isZero();
    assertThat(headers()).doesNotContainIgnoringCase("x-request-id");
    assertThat(web.run("plan", "--detailed-exitcode").exitCode()).isZero();
  }

  @Test
  void aPluginsEntryThatIsNeitherAJarNorAFolder_isNamed_andNothingRuns() throws Exception {
    var missing = dir.resolve("no-such.jar");

    var ran = withPlugins(plugins + ":" + missing, List.of("-f", web.spec.toString(), "plan"));

    assertThat(ran.exitCode()).isEqualTo(2);
    assertThat(ran.output())
        .contains("RECONCILE_PLUGINS names " + missing + ", which is neither a jar nor a folder");
  }
}
