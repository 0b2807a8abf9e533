package io.kubelvs.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A notify script as keepalived runs it: a program and its arguments, executed directly (no shell),
 * to which the caller may append arguments of its own (the generic {@code notify} script gets
 * {@code INSTANCE name state priority}).
 *
 * <p>keepalived 2 writes the command as one string and splits it into words itself (lib/notify.c
 * {@code notify_script_init}, lib/parser.c {@code alloc_strvec_quoted_escaped}): blanks separate
 * words; {@code "..."} and {@code '...'} quote, and may join a word's parts ({@code a"b c"} is one
 * word); a backslash escapes the next character everywhere, quotes included, with C's {@code \n \t
 * \r \a \b \f \v}, {@code \E} (escape), {@code \xHH}, {@code \cX} (control character) and octal
 * {@code \NNN}. {@link #parse} does the same.
 *
 * @param command the program (a path, or a name looked up in PATH) and its arguments
 */
public record NotifyScript(List<String> command) {
  public NotifyScript {
    command = List.copyOf(command);
    if (command.isEmpty() || command.get(0).isEmpty()) {
      throw new IllegalArgumentException("a notify script needs a program to run");
    }
  }

  /**
   * Splits a script line as keepalived does.
   *
   * @throws IllegalArgumentException for an unterminated quote, a backslash at the end, or nothing
   *     to run
   */
  public static NotifyScript parse(String text) {
    List<String> words = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      while (at < text.length() && isBlank(text.charAt(at))) {
        at++;
      }
      if (at == text.length()) {
        break;
      }
      StringBuilder word = new StringBuilder();
      char quote = 0;
      while (at < text.length()) {
        char c = text.charAt(at);
        if (c == '\\') {
          at = escape(text, at + 1, word);
        } else if (quote != 0) {
          if (c == quote) {
            quote = 0;
          } else {
            word.append(c);
          }
          at++;
        } else if (c == '"' || c == '\'') {
          quote = c;
          at++;
        } else if (isBlank(c)) {
          break;
        } else {
          word.append(c);
          at++;
        }
      }
      if (quote != 0) {
        throw new IllegalArgumentException("missing terminating " + quote + " in: " + text);
      }
      words.add(word.toString());
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException("a notify script needs a program to run");
    }
    return new NotifyScript(words);
  }

  /** The command with {@code extra} arguments after the configured ones. */
  public List<String> commandWith(List<String> extra) {
    List<String> all = new ArrayList<>(command);
    all.addAll(extra);
    return all;
  }

  /** The command for logs, one word after the other. */
  @Override
  public String toString() {
    return String.join(" ", command);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /** Reads the escape after a backslash at {@code at} into {@code word}; returns the next index. */
  private static int escape(String text, int at, StringBuilder word) {
    if (at >= text.length()) {
      throw new IllegalArgumentException("a backslash at the end escapes nothing: " + text);
    }
    char c = text.charAt(at);
    if (c == 'x' && at + 1 < text.length() && Character.digit(text.charAt(at + 1), 16) >= 0) {
      int value = 0;
      at++;
      while (at < text.length() && Character.digit(text.charAt(at), 16) >= 0) {
        value = ((value << 4) | Character.digit(text.charAt(at), 16)) & 0xff;
        at++;
      }
      word.append((char) value);
      return at;
    }
    if (c == 'c' && at + 1 < text.length()) {
      word.append((char) (text.charAt(at + 1) & 0x1f));
      return at + 2;
    }
    if (c >= '0' && c <= '7') {
      int value = 0;
      int digits = 0;
      while (digits < 3 && at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '7') {
        value = (value << 3) + (text.charAt(at) - '0');
        at++;
        digits++;
      }
      word.append((char) (value & 0xff));
      return at;
    }
    word.append(
        switch (c) {
          case 'a' -> '\u0007';
          case 'b' -> '\b';
          case 'E' -> '\u001b';
          case 'f' -> '\f';
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          case 'v' -> '\u000b';
          default -> c;
        });
    return at + 1;
  }
}
