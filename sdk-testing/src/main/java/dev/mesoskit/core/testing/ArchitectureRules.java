package dev.mesoskit.core.testing;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.List;

/**
 * The module rules of ARCHITECTURE.md as ArchUnit rules, shared by every module's
 * {@code LayeringTest} through sdk-testing.
 *
 * <pre>{@code
 * @Test
 * void followsTheArchitecture() {
 *   ArchitectureRules.checkAll(ArchitectureRules.mainClasses());
 * }
 * }</pre>
 */
public final class ArchitectureRules {
  private ArchitectureRules() {}

  /** The packages of the plug-in modules, which may use only the public core. */
  public static final List<String> PLUGIN_PACKAGES =
      List.of("dev.mesoskit.offers..", "dev.mesoskit.artifacts..", "dev.mesoskit.metrics..",
          "dev.mesoskit.status..");

  /**
   * sdk-local speaks the v1 API as a master and agents do: it uses the public core and sdk-http's
   * protobuf conversions, nothing else of MesosKit.
   */
  public static final ArchRule LOCAL_USES_CORE_AND_HTTP =
      moduleUsesOnly("dev.mesoskit.local..", "dev.mesoskit.core.http..");

  /** The packages of the backend modules and the executor runtime, which live beside sdk-core. */
  public static final List<String> BACKEND_PACKAGES = List.of("dev.mesoskit.core.http..",
      "dev.mesoskit.core.zookeeper..", "dev.mesoskit.core.jni..", "dev.mesoskit.core.executor..");

  /**
   * sdk-core depends on no other module, backends included: it finds them with ServiceLoader.
   */
  public static final ArchRule CORE_DEPENDS_ON_NO_OTHER_MODULE = noClasses()
      .that().resideInAPackage("dev.mesoskit.core..")
      .and().resideOutsideOfPackages(BACKEND_PACKAGES.toArray(String[]::new))
      .and().resideOutsideOfPackage("dev.mesoskit.core.testing..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "dev.mesoskit.core.http..", "dev.mesoskit.core.zookeeper..", "dev.mesoskit.core.jni..",
          "dev.mesoskit.core.executor..", "dev.mesoskit.offers..", "dev.mesoskit.artifacts..",
          "dev.mesoskit.local..", "dev.mesoskit.examples..", "dev.mesoskit.benchmarks..")
      .as("sdk-core depends on no other module (backends are found with ServiceLoader)");

  /**
   * Only the user API and the event loop touch core.internal: not the SPI (which would make the
   * two packages import each other), not a backend, not a plug-in.
   */
  public static final ArchRule INTERNAL_STAYS_IN_CORE = noClasses()
      .that().resideOutsideOfPackages("dev.mesoskit.core", "dev.mesoskit.core.internal")
      .should().dependOnClassesThat().resideInAPackage("dev.mesoskit.core.internal..")
      .as("only dev.mesoskit.core and dev.mesoskit.core.internal use dev.mesoskit.core.internal");

  /**
   * Protobuf types appear only in the backends. The benchmarks are not part of the SDK: they build
   * wire messages to measure the decode path.
   */
  public static final ArchRule PROTOBUF_ONLY_IN_BACKENDS = noClasses()
      .that().resideInAPackage("dev.mesoskit..")
      .and().resideOutsideOfPackages("dev.mesoskit.core.http..", "dev.mesoskit.core.jni..",
          "dev.mesoskit.core.zookeeper..", "dev.mesoskit.local..", "dev.mesoskit.benchmarks..")
      .should().dependOnClassesThat().resideInAnyPackage("org.apache.mesos..", "com.google.protobuf..")
      .as("protobuf types (org.apache.mesos, com.google.protobuf) appear only in core.http,"
          + " core.jni, core.zookeeper, local and the benchmarks");

  /** The public classes of the backends that may show protobuf types: the escape hatches. */
  public static final List<String> PROTOBUF_ESCAPE_HATCHES = List.of(
      "dev.mesoskit.core.http.V1Conversions", "dev.mesoskit.core.http.EventDelivery");

  /**
   * The backends speak MesosKit values to their users: no public member of a public class in
   * them takes or returns a protobuf type, except the documented escape hatches.
   */
  public static final ArchRule BACKENDS_EXPOSE_NO_PROTOBUF = members()
      .that().arePublic()
      .and().areDeclaredInClassesThat().arePublic()
      .and().areDeclaredInClassesThat().resideInAnyPackage("dev.mesoskit.core.http..",
          "dev.mesoskit.core.jni..", "dev.mesoskit.core.zookeeper..")
      .and().areDeclaredInClassesThat(DescribedPredicate.describe("are not an escape hatch",
          (JavaClass c) -> !PROTOBUF_ESCAPE_HATCHES.contains(c.getName())))
      .should(new ArchCondition<JavaMember>("expose no protobuf type") {
        @Override
        public void check(JavaMember member, ConditionEvents events) {
          java.util.Set<JavaClass> types = new java.util.LinkedHashSet<>();
          if (member instanceof JavaCodeUnit unit) {
            types.addAll(unit.getRawParameterTypes());
            types.add(unit.getRawReturnType());
          } else if (member instanceof JavaField field) {
            types.add(field.getRawType());
          }
          for (JavaClass type : types) {
            String name = type.getName();
            if (name.startsWith("org.apache.mesos.") || name.startsWith("com.google.protobuf.")) {
              events.add(SimpleConditionEvent.violated(member, member.getFullName()
                  + " exposes " + name));
            }
          }
        }
      })
      .allowEmptyShould(true)
      .as("public members of the backends expose no protobuf type, except "
          + PROTOBUF_ESCAPE_HATCHES);

  /**
   * The classes of {@code dev.mesoskit.core} that assemble a framework from the SPI and the event
   * loop: the entry points a user starts from ({@code Framework}, {@code Backends},
   * {@code Service}) and the package-private classes they are made of. They form a layer of their
   * own, above {@code core.spi} and {@code core.internal}; every other class of the package is a
   * value of the user API, below both.
   */
  public static final List<String> CORE_ENTRY_POINTS = List.of("dev.mesoskit.core.Framework",
      "dev.mesoskit.core.FrameworkTearDown", "dev.mesoskit.core.FrameworkSettings",
      "dev.mesoskit.core.Backends", "dev.mesoskit.core.Service",
      "dev.mesoskit.core.RollingUpdate", "dev.mesoskit.core.RecoveredInstances",
      "dev.mesoskit.core.OutcomeWait");

  /** The slice {@link #NO_PACKAGE_CYCLES} puts {@link #CORE_ENTRY_POINTS} in. */
  public static final String CORE_ENTRY_POINTS_SLICE =
      "dev.mesoskit.core entry points (Framework, Backends, Service and their parts)";

  /**
   * No two packages of MesosKit depend on each other, directly or around a longer cycle. The
   * entry points of {@code dev.mesoskit.core} count as a layer of their own (see
   * {@link #CORE_ENTRY_POINTS}): the values of the user API sit below the SPI and the event loop,
   * which both use them, and the entry points sit above, assembling the two. A value that reached
   * into the SPI or the event loop, or an SPI type that used the event loop, is a cycle.
   */
  public static final ArchRule NO_PACKAGE_CYCLES = SlicesRuleDefinition.slices()
      .assignedFrom(new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          String pkg = javaClass.getPackageName();
          if (!pkg.equals("dev.mesoskit") && !pkg.startsWith("dev.mesoskit.")) {
            return SliceIdentifier.ignore();
          }
          String name = javaClass.getName();
          int nested = name.indexOf('$');
          String topLevel = nested < 0 ? name : name.substring(0, nested);
          return CORE_ENTRY_POINTS.contains(topLevel)
              ? SliceIdentifier.of(CORE_ENTRY_POINTS_SLICE)
              : SliceIdentifier.of(pkg);
        }

        @Override
        public String getDescription() {
          return "MesosKit's packages, with the entry points of dev.mesoskit.core apart";
        }
      })
      .should().beFreeOfCycles()
      .allowEmptyShould(true)
      .as("no cycle between MesosKit's packages (the entry points " + CORE_ENTRY_POINTS
          + " are a layer of their own above core.spi and core.internal)");

  /** Only core.jni touches libmesos. */
  public static final ArchRule NATIVE_DRIVERS_ONLY_IN_JNI = noClasses()
      .that().resideOutsideOfPackage("dev.mesoskit.core.jni..")
      .should().dependOnClassesThat().haveFullyQualifiedName("org.apache.mesos.MesosSchedulerDriver")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("org.apache.mesos.MesosExecutorDriver")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("org.apache.mesos.MesosNativeLibrary")
      .as("only dev.mesoskit.core.jni touches the libmesos drivers");

  /**
   * A plug-in module uses only {@code dev.mesoskit.core} and {@code dev.mesoskit.core.spi} of
   * MesosKit, besides its own package; never another plug-in.
   *
   * @param ownPackage the module's package pattern, e.g. {@code dev.mesoskit.offers..}
   * @return the rule
   */
  public static ArchRule pluginUsesOnlyPublicCore(String ownPackage) {
    return moduleUsesOnly(ownPackage);
  }

  /**
   * A module uses of MesosKit only the public core ({@code dev.mesoskit.core},
   * {@code dev.mesoskit.core.spi}), its own package and the modules it depends on.
   *
   * @param ownPackage the module's package pattern, e.g. {@code dev.mesoskit.core.zookeeper..}
   * @param dependencies the package patterns of the modules it may use
   * @return the rule
   */
  public static ArchRule moduleUsesOnly(String ownPackage, String... dependencies) {
    return classes()
        .that().resideInAPackage(ownPackage)
        .should().onlyDependOnClassesThat(
            not(resideInAPackage("dev.mesoskit.."))
                .or(resideInAnyPackage("dev.mesoskit.core", "dev.mesoskit.core.spi"))
                .or(resideInAPackage(ownPackage))
                .or(resideInAnyPackage(dependencies)))
        .allowEmptyShould(true)
        .as("classes in " + ownPackage + " use only dev.mesoskit.core and dev.mesoskit.core.spi"
            + (dependencies.length == 0 ? "" : ", " + String.join(", ", dependencies))
            + " of MesosKit");
  }

  /**
   * The arrows between sdk-core's neighbours: sdk-testing and sdk-http use only the public core;
   * sdk-zookeeper, sdk-native and sdk-executor use it and sdk-http.
   *
   * @return the rules
   */
  public static List<ArchRule> backendArrows() {
    return List.of(
        moduleUsesOnly("dev.mesoskit.core.testing.."),
        moduleUsesOnly("dev.mesoskit.core.http.."),
        moduleUsesOnly("dev.mesoskit.core.zookeeper..", "dev.mesoskit.core.http.."),
        moduleUsesOnly("dev.mesoskit.core.jni..", "dev.mesoskit.core.http.."),
        moduleUsesOnly("dev.mesoskit.core.executor..", "dev.mesoskit.core.http.."));
  }

  /**
   * The artifact server and batches (sdk-artifacts, sdk-app's {@code artifacts.batch}) use only
   * the public core; the programs' options ({@code artifacts.cli}) are {@link #APP_OPTIONS_USE_PLUGINS}.
   */
  public static final ArchRule ARTIFACTS_USE_ONLY_PUBLIC_CORE = classes()
      .that().resideInAPackage("dev.mesoskit.artifacts..")
      .and().resideOutsideOfPackage("dev.mesoskit.artifacts.cli..")
      .should().onlyDependOnClassesThat(
          not(resideInAPackage("dev.mesoskit.."))
              .or(resideInAnyPackage("dev.mesoskit.core", "dev.mesoskit.core.spi"))
              .or(resideInAPackage("dev.mesoskit.artifacts..")))
      .allowEmptyShould(true)
      .as("classes in dev.mesoskit.artifacts.. but artifacts.cli use only dev.mesoskit.core and"
          + " dev.mesoskit.core.spi of MesosKit");

  /**
   * A program's options ({@code artifacts.cli} of sdk-app) put the plugins together: the public
   * core, the artifact server, the metrics and the status page, nothing else.
   */
  public static final ArchRule APP_OPTIONS_USE_PLUGINS = moduleUsesOnly(
      "dev.mesoskit.artifacts.cli..", "dev.mesoskit.artifacts..", "dev.mesoskit.metrics..",
      "dev.mesoskit.status..");

  /**
   * Every rule.
   *
   * @return the rules
   */
  public static List<ArchRule> all() {
    List<ArchRule> rules = new java.util.ArrayList<>(List.of(CORE_DEPENDS_ON_NO_OTHER_MODULE,
        INTERNAL_STAYS_IN_CORE, PROTOBUF_ONLY_IN_BACKENDS, NATIVE_DRIVERS_ONLY_IN_JNI,
        BACKENDS_EXPOSE_NO_PROTOBUF, NO_PACKAGE_CYCLES, LOCAL_USES_CORE_AND_HTTP));
    rules.addAll(backendArrows());
    for (String plugin : PLUGIN_PACKAGES) {
      rules.add(plugin.equals("dev.mesoskit.artifacts..") ? ARTIFACTS_USE_ONLY_PUBLIC_CORE
          : pluginUsesOnlyPublicCore(plugin));
    }
    rules.add(APP_OPTIONS_USE_PLUGINS);
    return rules.stream().map(r -> r.allowEmptyShould(true)).toList();
  }

  /**
   * MesosKit's main classes on the class path: this module's and its dependencies', no tests.
   *
   * @return the classes
   */
  public static JavaClasses mainClasses() {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("dev.mesoskit");
  }

  /**
   * Checks every rule against the classes.
   *
   * @param classes the classes
   * @throws AssertionError listing each violation
   */
  public static void checkAll(JavaClasses classes) {
    for (ArchRule rule : all()) {
      rule.check(classes);
    }
  }
}
