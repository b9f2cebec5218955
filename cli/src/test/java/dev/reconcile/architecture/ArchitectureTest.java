package dev.reconcile.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layout shows the architecture: no package depends on itself through others, the engine
 * never reaches the command line, and only the providers see docker-java and sshj.
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
    noClasses().that().resideOutsideOfPackages("dev.reconcile.cli..")
        .should().dependOnClassesThat().resideInAPackage("dev.reconcile.cli..")
        .because("the engine is a library the CLI, a controller and tests drive alike")
        .check(CLASSES);
  }

  @Test
  void dockerAndSsh_areSeenOnlyByTheProviders() {
    noClasses().that().resideOutsideOfPackages("dev.reconcile.providers..")
        .should().dependOnClassesThat().resideInAnyPackage("com.github.dockerjava..", "net.schmizz..",
            "com.hierynomus..")
        .check(CLASSES);
  }
}
