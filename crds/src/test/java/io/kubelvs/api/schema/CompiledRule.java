package io.kubelvs.api.schema;

import dev.cel.runtime.CelRuntime;
import java.util.Optional;

/**
 * One {@code x-kubernetes-validations} entry ready to run.
 *
 * @param fieldPath where a failure is reported, relative to the node the rule sits on
 * @param usesOldSelf a transition rule, which the API server runs on updates only (unless {@code
 *     optionalOldSelf})
 */
record CompiledRule(
    OpenApiSchema.ValidationRule rule,
    CelRuntime.Program program,
    Optional<CelRuntime.Program> messageExpression,
    Optional<FieldPath> fieldPath,
    boolean usesOldSelf) {}
