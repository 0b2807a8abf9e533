package io.kubelvs.api.schema;

import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.compiler.CelCompiler;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.validator.CelValidator;
import dev.cel.validator.CelValidatorFactory;
import dev.cel.validator.validators.DurationLiteralValidator;
import dev.cel.validator.validators.HomogeneousLiteralValidator;
import dev.cel.validator.validators.RegexLiteralValidator;
import dev.cel.validator.validators.TimestampLiteralValidator;
import java.util.EnumSet;
import java.util.Set;

/**
 * The part of the API server's CEL environment (k8s.io/apiserver/pkg/cel/environment, base.go) that
 * cel-java can reproduce. Libraries Kubernetes does not enable (cel-java's lists, math, encoders,
 * regex, bindings) stay off, so a rule that compiles here also compiles there.
 */
final class KubernetesCel {

  static final CelOptions OPTIONS =
      CelOptions.current()
          .enableHeterogeneousNumericComparisons(true) // cel.CrossTypeNumericComparisons(true)
          .enableOptionalSyntax(true) // cel.OptionalTypes()
          .build();

  /** ext.Strings version 2, as Kubernetes pins it: without reverse(), added in version 3. */
  private static final Set<CelStringExtensions.Function> STRINGS_VERSION_2 =
      EnumSet.complementOf(EnumSet.of(CelStringExtensions.Function.REVERSE));

  private KubernetesCel() {}

  /** Standard library and macros, plus ext.Strings, ext.Sets, optionals, two-var comprehensions. */
  static CelBuilder builder(CelTypeProvider types) {
    var strings = CelExtensions.strings(STRINGS_VERSION_2);
    var sets = CelExtensions.sets(OPTIONS);
    var optional = CelExtensions.optional();
    var comprehensions = CelExtensions.comprehensions();
    return CelFactory.standardCelBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .setTypeProvider(types)
        .addCompilerLibraries(strings, sets, optional, comprehensions)
        .addRuntimeLibraries(strings, sets, optional, comprehensions);
  }

  /**
   * The AST checks the API server adds since 1.29: literals must parse, list and map literals be
   * homogeneous (cel.HomogeneousAggregateLiterals, which cel-java offers only as this check).
   */
  static CelValidator astValidator(CelCompiler compiler, CelRuntime runtime) {
    return CelValidatorFactory.standardCelValidatorBuilder(compiler, runtime)
        .addAstValidators(
            DurationLiteralValidator.INSTANCE,
            TimestampLiteralValidator.INSTANCE,
            RegexLiteralValidator.INSTANCE,
            HomogeneousLiteralValidator.newInstance())
        .build();
  }
}
