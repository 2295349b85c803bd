package dev.mesoskit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.ValueUsingSpi;
import dev.mesoskit.core.archfixture.CoreUsingBackend;
import dev.mesoskit.core.archfixture.CoreUsingPlugin;
import dev.mesoskit.core.http.archfixture.BadBackend;
import dev.mesoskit.core.spi.archfixture.SpiUsingInternal;
import dev.mesoskit.local.archfixture.LocalUsingPlugin;
import dev.mesoskit.offers.archfixture.BadPlugin;
import org.junit.jupiter.api.Test;

class ArchitectureRulesTest {
  private final JavaClasses bad =
      new ClassFileImporter().importClasses(BadPlugin.class, CoreUsingPlugin.class,
          CoreUsingBackend.class, BadBackend.class, SpiUsingInternal.class,
          LocalUsingPlugin.class);

  @Test
  void pluginRuleCatchesAPluginReachingIntoCoreInternal() {
    EvaluationResult result =
        ArchitectureRules.pluginUsesOnlyPublicCore("dev.mesoskit.offers..").evaluate(bad);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .anyMatch(d -> d.contains("BadPlugin") && d.contains("RuntimeConfig"));
  }

  @Test
  void internalRuleCatchesAnOutsideUserOfCoreInternal() {
    EvaluationResult result = ArchitectureRules.INTERNAL_STAYS_IN_CORE.evaluate(bad);
    assertThat(result.getFailureReport().getDetails())
        .anyMatch(d -> d.contains("BadPlugin") && d.contains("core.internal.RuntimeConfig"));
  }

  @Test
  void protobufRuleCatchesProtobufOutsideTheBackends() {
    EvaluationResult result = ArchitectureRules.PROTOBUF_ONLY_IN_BACKENDS.evaluate(bad);
    assertThat(result.getFailureReport().getDetails())
        .anyMatch(d -> d.contains("BadPlugin") && d.contains("org.apache.mesos.v1.Protos"));
  }

  @Test
  void nativeDriverRuleCatchesTheDriverOutsideJni() {
    EvaluationResult result = ArchitectureRules.NATIVE_DRIVERS_ONLY_IN_JNI.evaluate(bad);
    assertThat(result.getFailureReport().getDetails())
        .anyMatch(d -> d.contains("BadPlugin") && d.contains("MesosSchedulerDriver"));
  }

  @Test
  void coreRuleCatchesCoreDependingOnAnotherModule() {
    EvaluationResult result = ArchitectureRules.CORE_DEPENDS_ON_NO_OTHER_MODULE.evaluate(bad);
    assertThat(result.getFailureReport().getDetails())
        .anyMatch(d -> d.contains("CoreUsingPlugin") && d.contains("BadPlugin"));
  }

  @Test
  void coreRuleCatchesCoreImportingABackend() {
    EvaluationResult result = ArchitectureRules.CORE_DEPENDS_ON_NO_OTHER_MODULE.evaluate(bad);
    assertThat(result.getFailureReport().getDetails())
        .anyMatch(d -> d.contains("CoreUsingBackend") && d.contains("BadBackend"));
  }

  @Test
  void internalRuleCatchesTheSpiAndABackendUsingCoreInternal() {
    EvaluationResult result = ArchitectureRules.INTERNAL_STAYS_IN_CORE.evaluate(bad);
    assertThat(result.getFailureReport().getDetails())
        .anyMatch(d -> d.contains("SpiUsingInternal") && d.contains("core.internal.RuntimeConfig"))
        .anyMatch(d -> d.contains("BadBackend") && d.contains("core.internal.RuntimeConfig"));
  }

  @Test
  void backendArrowRuleCatchesABackendUsingAPlugin() {
    EvaluationResult result = ArchitectureRules.backendArrows().get(1).evaluate(bad);
    assertThat(result.getFailureReport().getDetails())
        .anyMatch(d -> d.contains("BadBackend") && d.contains("offers.archfixture.BadPlugin"));
  }

  @Test
  void protobufApiRuleCatchesABackendShowingProtobufOutsideTheEscapeHatches() {
    EvaluationResult result = ArchitectureRules.BACKENDS_EXPOSE_NO_PROTOBUF.evaluate(bad);
    assertThat(result.getFailureReport().getDetails())
        .anyMatch(d -> d.contains("BadBackend.leak()")
            && d.contains("exposes org.apache.mesos.v1.Protos$TaskID"));
  }

  @Test
  void localRuleCatchesTheLocalClusterUsingAPlugin() {
    EvaluationResult result = ArchitectureRules.LOCAL_USES_CORE_AND_HTTP.evaluate(bad);
    assertThat(result.getFailureReport().getDetails())
        .anyMatch(d -> d.contains("LocalUsingPlugin")
            && d.contains("offers.archfixture.BadPlugin"));
  }

  @Test
  void cycleRuleCatchesAValueOfTheUserApiReachingIntoTheSpi() {
    JavaClasses core = new ClassFileImporter().importPackages("dev.mesoskit.core");
    assertThat(core.contain(ValueUsingSpi.class)).isTrue();
    EvaluationResult result = ArchitectureRules.NO_PACKAGE_CYCLES.evaluate(core);
    assertThat(result.getFailureReport().getDetails())
        .anyMatch(d -> d.contains("Cycle detected: Slice dev.mesoskit.core -> ")
            && d.contains("Slice dev.mesoskit.core.spi -> ")
            && d.contains("ValueUsingSpi"));
  }

  @Test
  void cycleRuleKeepsTheEntryPointsOfCoreApartFromItsValues() {
    JavaClasses core = ArchitectureRules.mainClasses();
    assertThat(ArchitectureRules.NO_PACKAGE_CYCLES.evaluate(core).hasViolation()).isFalse();
    assertThat(core.get(Framework.class).getDirectDependenciesFromSelf())
        .anyMatch(d -> d.getTargetClass().getPackageName().equals("dev.mesoskit.core.internal"));
    assertThat(core.get(dev.mesoskit.core.spi.PackingStrategy.class)
        .getDirectDependenciesFromSelf())
        .anyMatch(d -> d.getTargetClass().getPackageName().equals("dev.mesoskit.core"));
  }

  @Test
  void everyRulePassesOnTheRealCoreClasses() {
    JavaClasses main = ArchitectureRules.mainClasses();
    assertThat(main.contain(Framework.class)).isTrue();
    assertThat(main.stream().map(c -> c.getPackageName()))
        .noneMatch(p -> p.contains("archfixture"))
        .contains("dev.mesoskit.core.testing"); // sdk-testing's fixtures are its main classes
    ArchitectureRules.checkAll(main);
  }
}
