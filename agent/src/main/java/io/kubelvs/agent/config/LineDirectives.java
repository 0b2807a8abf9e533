package io.kubelvs.agent.config;

import io.kubelvs.agent.config.ConfLexer.Kind;
import io.kubelvs.agent.config.ConfLexer.Token;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * keepalived's whole-line features (keepalived.conf(5), "ADVANCED CONFIGURATION"), applied to the
 * tokens of each line of one file before they become statements.
 *
 * <p>Conditional lines are supported: {@code @main router_id a} counts only when the config id is
 * {@code main}, {@code @^main ...} only when it is not. Refused with a problem: parameter
 * definitions ({@code $NAME=value}, multi-line ones skipped to their last line so they produce one
 * problem), {@code ~SEQ(...)} and {@code ~LST(...)} blocks, and a line ending in {@code \} outside
 * a definition, which keepalived does not treat as a continuation.
 */
final class LineDirectives {
  private static final Pattern DEFINITION_NAME = Pattern.compile("\\$[A-Za-z_][A-Za-z0-9_]*(=.*)?");

  private final Optional<String> configId;
  private boolean inMultilineDefinition;

  /**
   * @param configId keepalived's {@code --config-id}; without one a conditional line is a problem
   */
  LineDirectives(Optional<String> configId) {
    this.configId = configId;
  }

  /** The tokens that make statements, or none; what is wrong is added to {@code problems}. */
  List<Token> apply(ConfLexer.Line line, List<String> problems) {
    if (inMultilineDefinition) {
      inMultilineDefinition = line.continued();
      return List.of();
    }
    problems.addAll(line.problems());
    List<Token> tokens = line.tokens();
    if (!tokens.isEmpty() && startsWith(tokens, "@")) {
      tokens = conditional(tokens, problems);
      if (tokens.isEmpty()) {
        return tokens;
      }
    }
    if (isDefinition(tokens)) {
      problems.add("parameter definitions ($NAME=value) are not supported: " + text(tokens));
      inMultilineDefinition = line.continued();
      return List.of();
    }
    if (startsWith(tokens, "~SEQ") || startsWith(tokens, "~LST")) {
      problems.add("~SEQ and ~LST blocks are not supported: " + text(tokens));
      return List.of();
    }
    if (line.continued()) {
      problems.add(
          "line ends with '\\', but keepalived.conf continues lines only in parameter"
              + " definitions, which are not supported");
    }
    return tokens;
  }

  private List<Token> conditional(List<Token> tokens, List<String> problems) {
    String condition = tokens.get(0).text();
    boolean negated = condition.startsWith("@^");
    String id = condition.substring(negated ? 2 : 1);
    if (id.isEmpty()) {
      problems.add("'" + condition + "' must be followed by a config id, as in @main");
      return List.of();
    }
    if (tokens.size() == 1) {
      problems.add("conditional line " + condition + " has nothing after the config id");
      return List.of();
    }
    if (configId.isEmpty()) {
      problems.add(
          "conditional line "
              + text(tokens)
              + " needs a config id (keepalived's --config-id), none was given");
      return List.of();
    }
    boolean included = id.equals(configId.get()) != negated;
    return included ? tokens.subList(1, tokens.size()) : List.of();
  }

  private static boolean isDefinition(List<Token> tokens) {
    if (tokens.isEmpty()
        || !tokens.get(0).isPlainWord()
        || !DEFINITION_NAME.matcher(tokens.get(0).text()).matches()) {
      return false;
    }
    // keepalived allows blanks between the name and '=' (check_definition in lib/parser.c).
    return tokens.get(0).text().contains("=")
        || (tokens.size() > 1
            && tokens.get(1).kind() == Kind.WORD
            && tokens.get(1).text().startsWith("="));
  }

  private static boolean startsWith(List<Token> tokens, String prefix) {
    return !tokens.isEmpty()
        && tokens.get(0).isPlainWord()
        && tokens.get(0).text().startsWith(prefix);
  }

  private static String text(List<Token> tokens) {
    return String.join(" ", tokens.stream().map(Token::text).toList());
  }
}
