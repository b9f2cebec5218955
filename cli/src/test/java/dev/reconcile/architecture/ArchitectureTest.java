package dev.reconcile.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The layout shows the architecture: no package depends on itself through others, each module
 * uses only the ones below it (the table in docs/architecture.md), providers are reached only
 * through the SPI, and only the providers see docker-java and sshj.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      // core's test-jar (golden helpers, fixtures) is on this class path too: tests only.
      .withImportOption(location -> !location.contains("-tests.jar"))
      .importPackages("dev.reconcile");

  @Test
  void packages_haveNoCycles() {
    slices().matching("dev.reconcile.(**)").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void engine_neverReachesTheCommandLine() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.reconcile.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.reconcile.cli..")
        .because("the engine is a library the CLI, a controller and tests drive alike")
        .check(CLASSES);
  }

  @Test
  void dockerAndSsh_areSeenOnlyByTheProviders() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.reconcile.providers..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.github.dockerjava..", "net.schmizz..", "com.hierynomus..")
        .check(CLASSES);
  }

  /**
   * The modules as layers, each package in the module that builds it. Maven already refuses an
   * arrow upwards between modules; this names the rule and keeps a package from being moved into
   * a module whose layer it breaks.
   */
  @Test
  void modules_useOnlyTheOnesBelowThem() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("cli")
        .definedBy("dev.reconcile.cli..")
        .layer("controller")
        .definedBy("dev.reconcile.drift..", "dev.reconcile.watch..")
        .layer("export")
        .definedBy("dev.reconcile.export..")
        .layer("compose")
        .definedBy("dev.reconcile.compose..")
        .layer("operations")
        .definedBy("dev.reconcile.backup..", "dev.reconcile.console..")
        .layer("engine")
        .definedBy(
            "dev.reconcile.engine..",
            "dev.reconcile.execute..",
            "dev.reconcile.deploy..",
            "dev.reconcile.store..",
            "dev.reconcile.rollback..",
            "dev.reconcile.probe..",
            "dev.reconcile.lock..",
            "dev.reconcile.traffic..",
            "dev.reconcile.audit..")
        .layer("providers")
        .definedBy("dev.reconcile.providers..")
        .layer("core")
        .definedBy(
            "dev.reconcile.desired..",
            "dev.reconcile.diag..",
            "dev.reconcile.history..",
            "dev.reconcile.host..",
            "dev.reconcile.model..",
            "dev.reconcile.observed..",
            "dev.reconcile.plan..",
            "dev.reconcile.provider..",
            "dev.reconcile.render..",
            "dev.reconcile.resource..",
            "dev.reconcile.spec..",
            "dev.reconcile.util..",
            "dev.reconcile.validate..",
            "dev.reconcile.schemas..")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("controller")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("export")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("compose")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("operations")
        .mayOnlyBeAccessedByLayers("cli", "controller")
        .whereLayer("engine")
        .mayOnlyBeAccessedByLayers("cli", "controller", "operations")
        // Found through ServiceLoader behind dev.reconcile.provider: nothing names a provider's
        // class.
        .whereLayer("providers")
        .mayNotBeAccessedByAnyLayer()
        .check(CLASSES);
  }

  @Test
  void everyPackage_isInALayer() {
    var layered = Set.of(
        "cli",
        "drift",
        "watch",
        "export",
        "compose",
        "backup",
        "console",
        "engine",
        "execute",
        "deploy",
        "store",
        "rollback",
        "probe",
        "lock",
        "traffic",
        "audit",
        "providers",
        "desired",
        "diag",
        "history",
        "host",
        "model",
        "observed",
        "plan",
        "provider",
        "render",
        "resource",
        "spec",
        "util",
        "schemas",
        "validate");
    var unlayered = CLASSES.stream()
        .map(c -> c.getPackageName().split("\\."))
        .filter(p -> p.length > 2)
        .map(p -> p[2])
        .filter(p -> !layered.contains(p))
        .distinct()
        .toList();
    assertThat(unlayered).as("packages no layer names").isEmpty();
  }
}
