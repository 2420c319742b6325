package org.lazyseg.spark;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.lazyseg.train.predict.Segmentation;

/**
 * docs/architecture.md: the spark module is a front end like cli; it segments through the
 * public API (org.lazyseg.api and the {@link Segmentation} it hands out) and predict's own
 * pieces (org.lazyseg.cli.Prediction), never through train's internals.
 */
class SparkArchitectureTest {
  @Test
  void segmentsThroughThePublicApi() {
    // The module's own main classes only (scanning the class path would read Spark's jars).
    JavaClasses spark = new ClassFileImporter().importPath(Path.of("target/classes"));
    org.assertj.core.api.Assertions.assertThat(spark.contain(SparkPredict.class)).isTrue();
    noClasses().that().resideInAPackage("org.lazyseg.spark..")
        .should().dependOnClassesThat(resideInAPackage("org.lazyseg.train..")
            .and(not(equivalentTo(Segmentation.class))))
        .check(spark);
  }
}
