package io.kubelvs.agent.notify;

import java.util.List;
import java.util.OptionalInt;

/**
 * How a notify script ended.
 *
 * @param command what ran, arguments included
 * @param exitCode its exit status; empty when it could not start or was killed at the timeout
 * @param timedOut whether it was still running at its timeout and was killed
 * @param output what it wrote to stdout and stderr, line by line (the first {@link
 *     NotifyScripts#MAX_OUTPUT_LINES})
 * @param error why it could not start, or empty
 */
public record ScriptResult(
    List<String> command,
    OptionalInt exitCode,
    boolean timedOut,
    List<String> output,
    String error) {
  public ScriptResult {
    command = List.copyOf(command);
    output = List.copyOf(output);
  }
}
