package io.kubelvs.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits one line of keepalived.conf into words and braces, the way keepalived's {@code
 * read_line}, {@code decomment} and {@code alloc_strvec} (lib/parser.c) do:
 *
 * <ul>
 *   <li>{@code #} and {@code !} start a comment anywhere outside double quotes, even inside a
 *       word; {@code \#} and {@code \!} are the characters themselves.
 *   <li>{@code {} and {@code }} are tokens of their own wherever they stand outside quotes, so
 *       {@code vs {}, {@code vs\n{} and {@code } real_server ...} all work. The exception is the
 *       file name of an {@code include}, a glob in which {@code {a,b}} is a choice: there only a
 *       brace standing alone between blanks is a block brace.
 *   <li>{@code "..."} is one word without its quotes, spaces, {@code #}, {@code !} and braces
 *       kept; there are no escapes inside it (keepalived re-reads script lines with shell-like
 *       quoting itself; that belongs to the mapping of those keywords). Single quotes are ordinary
 *       characters, as in keepalived's word splitting.
 * </ul>
 *
 * <p>Where keepalived quietly does something surprising, this reports a problem and still
 * produces the words keepalived would: a quote inside a word ({@code a"b c"}, which keepalived
 * splits into two words), an unterminated quote, a parameter substitution {@code ${NAME}}, and one
 * of keepalived's predefined parameters ({@code $_PWD}, ...) which would be replaced.
 */
final class ConfLexer {
  enum Kind {
    WORD,
    OPEN,
    CLOSE
  }

  /** A word (quotes removed; {@code quoted} if it was written in quotes) or a brace. */
  record Token(Kind kind, String text, boolean quoted) {
    static final Token OPEN = new Token(Kind.OPEN, "{", false);
    static final Token CLOSE = new Token(Kind.CLOSE, "}", false);

    static Token word(String text, boolean quoted) {
      return new Token(Kind.WORD, text, quoted);
    }

    boolean isPlainWord() {
      return kind == Kind.WORD && !quoted;
    }
  }

  /**
   * The tokens of one line.
   *
   * @param continued whether the line ends in a {@code \} outside quotes, which continues only a
   *     multi-line parameter definition in keepalived
   * @param problems what is wrong on the line, without position
   */
  record Line(List<Token> tokens, boolean continued, List<String> problems) {}

  // keepalived's predefined parameters (keepalived.conf(5), "Pre-defined definitions"): these are
  // replaced even without any $NAME=value line, so a file using them means something we can't do.
  private static final Pattern PREDEFINED =
      Pattern.compile("\\$(\\{?)(_(?:PWD|INSTANCE|RANDOM|ENV|HASH|BANG))(?![A-Za-z0-9_])");

  private final String text;
  private final List<Token> tokens = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private boolean continued;
  private int at;
  // A statement starts at the beginning of the line and after each brace.
  private boolean statementStart = true;
  private boolean includeArguments;

  private ConfLexer(String text) {
    this.text = text;
  }

  static Line lex(String text) {
    return new ConfLexer(text).run();
  }

  private Line run() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (isBlank(c)) {
        at++;
      } else if (isComment(c)) {
        break;
      } else if ((c == '{' || c == '}') && (!includeArguments || standsAlone())) {
        tokens.add(c == '{' ? Token.OPEN : Token.CLOSE);
        statementStart = true;
        includeArguments = false;
        at++;
      } else if (c == '"') {
        quotedWord();
      } else {
        plainWord();
      }
    }
    return new Line(List.copyOf(tokens), continued, List.copyOf(problems));
  }

  private void quotedWord() {
    int start = at;
    int close = text.indexOf('"', start + 1);
    if (close < 0) {
      problems.add("unterminated quote: " + text.substring(start));
      addWord(text.substring(start + 1), true);
      at = text.length();
      return;
    }
    addWord(text.substring(start + 1, close), true);
    at = close + 1;
    if (at < text.length() && !endsWord(text.charAt(at))) {
      problems.add(
          "text right after a closing quote: "
              + text.substring(start, wordEnd(at))
              + " (keepalived would read two words; put a space or quote all of it)");
    }
  }

  private void plainWord() {
    int start = at;
    StringBuilder word = new StringBuilder();
    while (at < text.length() && !endsPlainWord(text.charAt(at))) {
      char c = text.charAt(at);
      if (c == '"') {
        problems.add(
            "quote in the middle of a word: "
                + text.substring(start, endOfQuoteAfter(at))
                + " (keepalived would read two words; quote all of it)");
        break;
      } else if (c == '\\') {
        escape(word);
      } else if (c == '$' && at + 1 < text.length() && text.charAt(at + 1) == '{') {
        parameter(word);
      } else {
        word.append(c);
        at++;
      }
    }
    if (word.length() > 0) {
      addWord(word.toString(), false);
    }
  }

  private void escape(StringBuilder word) {
    if (at + 1 == text.length()) {
      continued = true;
      at++;
      return;
    }
    char next = text.charAt(at + 1);
    if (next == '#' || next == '!') {
      word.append(next);
      at += 2;
    } else {
      // keepalived keeps the backslash; only comment characters are unescaped.
      word.append('\\');
      at++;
    }
  }

  private void parameter(StringBuilder word) {
    int close = text.indexOf('}', at);
    if (close < 0) {
      word.append('$');
      at++;
      return;
    }
    String reference = text.substring(at, close + 1);
    problems.add("parameter substitution " + reference + " is not supported");
    word.append(reference);
    at = close + 1;
  }

  private void addWord(String word, boolean quoted) {
    Matcher predefined = PREDEFINED.matcher(word);
    while (predefined.find()) {
      boolean alreadyReported = !quoted && !predefined.group(1).isEmpty();
      if (!alreadyReported) {
        problems.add(
            "keepalived's predefined parameter $" + predefined.group(2) + " is not supported");
      }
    }
    tokens.add(Token.word(word, quoted));
    boolean conditionalPrefix = !quoted && word.startsWith("@") && tokens.size() == 1;
    if (statementStart && !conditionalPrefix) {
      statementStart = false;
      includeArguments = KeepalivedConfParser.INCLUDES.contains(word);
    }
  }

  private boolean standsAlone() {
    boolean blankBefore = at == 0 || isBlank(text.charAt(at - 1));
    boolean blankAfter =
        at + 1 == text.length() || isBlank(text.charAt(at + 1)) || isComment(text.charAt(at + 1));
    return blankBefore && blankAfter;
  }

  private boolean endsPlainWord(char c) {
    return includeArguments ? isBlank(c) || isComment(c) : endsWord(c);
  }

  /** Where the text glued to the quote at {@code quote} ends, for messages. */
  private int endOfQuoteAfter(int quote) {
    int close = text.indexOf('"', quote + 1);
    return close < 0 ? text.length() : wordEnd(close + 1);
  }

  /** The end of the text that belongs to the word going on at {@code from}, for messages. */
  private int wordEnd(int from) {
    int end = from;
    while (end < text.length() && !isBlank(text.charAt(end))) {
      end++;
    }
    return end;
  }

  private static boolean endsWord(char c) {
    return isBlank(c) || c == '{' || c == '}' || isComment(c);
  }

  private static boolean isComment(char c) {
    return c == '#' || c == '!';
  }

  // keepalived's WHITE_SPACE: " \t\f\n\r\v".
  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r' || c == '\u000B';
  }
}
