package org.lazyseg.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, on the main classes of core, train, fiji and cli
 * (the cli module's tests see all four): no package cycle anywhere, and the layers of train.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.lazyseg");
  }

  @Test
  void importsEveryModule() {
    // An empty import would pass every rule below.
    org.assertj.core.api.Assertions.assertThat(classes.containPackage("org.lazyseg.core.weak")
        && classes.containPackage("org.lazyseg.train.engine")
        && classes.containPackage("org.lazyseg.cli")
        && classes.containPackage("org.lazyseg.fiji")).isTrue();
  }

  @Test
  void noPackageCycles() {
    slices().matching("org.lazyseg.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void coreNeverDependsOnTrainOrCli() {
    noClasses().that().resideInAPackage("org.lazyseg.core..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("org.lazyseg.train..", "org.lazyseg.cli..", "org.lazyseg.api..")
        .check(classes);
  }

  @Test
  void nothingInCoreOrTrainDependsOnCliOrTheFacade() {
    noClasses().that().resideInAnyPackage("org.lazyseg.core..", "org.lazyseg.train..")
        .should().dependOnClassesThat().resideInAnyPackage("org.lazyseg.cli..", "org.lazyseg.api..")
        .check(classes);
  }

  /** Spark is the spark module's alone: predict finds it through a ServiceLoader. */
  @Test
  void nothingHereDependsOnSpark() {
    noClasses().that().resideInAPackage("org.lazyseg..")
        .should().dependOnClassesThat().resideInAPackage("org.apache.spark..")
        .check(classes);
  }

  @Test
  void predictionNeverDependsOnTheEngineOrMethods() {
    noClasses().that().resideInAPackage("org.lazyseg.train.predict..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("org.lazyseg.train.engine..", "org.lazyseg.train.method..")
        .check(classes);
  }

  /**
   * Train's layers, lowest first: the run folder's files (root package), nn and data, loss,
   * predict, engine, method; export (a model written for other tools) uses predict and below
   * and only the facade and cli use it. Each may use core and the layers below it, nothing else of
   * LazySeg. The API facade sits on top of method; cli uses the facade and what the facade
   * hands out. (The experiments module is outside these classes.)
   */
  @Test
  void trainIsLayered() {
    layeredArchitecture()
        .consideringOnlyDependenciesInAnyPackage("org.lazyseg..")
        .withOptionalLayers(true)
        .layer("Core").definedBy("org.lazyseg.core..")
        .layer("Run").definedBy("org.lazyseg.train")
        .layer("Nn").definedBy("org.lazyseg.train.nn..")
        .layer("Data").definedBy("org.lazyseg.train.data..")
        .layer("Loss").definedBy("org.lazyseg.train.loss..")
        .layer("Predict").definedBy("org.lazyseg.train.predict..")
        .layer("Export").definedBy("org.lazyseg.train.export..")
        .layer("Engine").definedBy("org.lazyseg.train.engine..")
        .layer("Method").definedBy("org.lazyseg.train.method..")
        .layer("Api").definedBy("org.lazyseg.api..")
        .layer("Fiji").definedBy("org.lazyseg.fiji..")
        .layer("Cli").definedBy("org.lazyseg.cli..")
        .whereLayer("Core").mayNotAccessAnyLayer()
        .whereLayer("Nn").mayOnlyAccessLayers("Core")
        .whereLayer("Data").mayOnlyAccessLayers("Core")
        .whereLayer("Run").mayOnlyAccessLayers("Core", "Nn", "Data")
        .whereLayer("Loss").mayOnlyAccessLayers("Core", "Run", "Nn", "Data")
        .whereLayer("Predict").mayOnlyAccessLayers("Core", "Run", "Nn", "Data", "Loss")
        .whereLayer("Export").mayOnlyAccessLayers("Core", "Run", "Nn", "Data", "Predict")
        .whereLayer("Export").mayOnlyBeAccessedByLayers("Api", "Cli")
        .whereLayer("Engine")
        .mayOnlyAccessLayers("Core", "Run", "Nn", "Data", "Loss", "Predict")
        .whereLayer("Method")
        .mayOnlyAccessLayers("Core", "Run", "Nn", "Data", "Loss", "Predict", "Engine")
        .whereLayer("Api")
        .mayOnlyAccessLayers("Core", "Run", "Nn", "Data", "Loss", "Predict", "Export", "Engine",
            "Method")
        .whereLayer("Fiji").mayOnlyAccessLayers("Core", "Run", "Predict", "Engine", "Method", "Api")
        .whereLayer("Fiji").mayOnlyBeAccessedByLayers("Cli")
        .check(classes);
  }

  /**
   * The Fiji commands train and segment through the facade, as every front end: no second
   * training loop or prediction path (only the types the facade hands out: listeners, their
   * events, the segmentation, the methods' names).
   */
  @Test
  void fijiTrainsAndSegmentsOnlyThroughTheFacade() {
    noClasses().that().resideInAPackage("org.lazyseg.fiji..")
        .should().dependOnClassesThat().haveFullyQualifiedName("org.lazyseg.train.engine.TrainingRun")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("org.lazyseg.train.method.TrainingJob")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("org.lazyseg.train.predict.Predictor")
        .check(classes);
  }
}
