package io.kubelvs.agent.config;

import java.util.regex.Pattern;

/**
 * Writes a parsed keepalived.conf back as one self-contained file: what the parser read, with the
 * included files spliced in, conditional lines already decided and comments gone. Reading the
 * result gives the same statements, so it can stand in for the source (the last applied
 * configuration a restart comes up from when its file is gone).
 */
public final class KeepalivedConfWriter {
  /** Words the lexer would split or take as a comment, a brace or a directive, unless quoted. */
  private static final Pattern NEEDS_QUOTES = Pattern.compile("^$|^[@~$]|[\\s#!{}]");

  private static final String INDENT = "    ";

  private KeepalivedConfWriter() {}

  /** The statements under {@code root}, one per line, blocks indented. */
  public static String write(ConfNode root) {
    StringBuilder out = new StringBuilder();
    for (ConfNode statement : root.children()) {
      write(statement, 0, out);
    }
    return out.toString();
  }

  private static void write(ConfNode node, int depth, StringBuilder out) {
    out.append(INDENT.repeat(depth)).append(word(node.keyword()));
    for (String arg : node.args()) {
      out.append(' ').append(word(arg));
    }
    if (node.block()) {
      out.append(" {\n");
      for (ConfNode child : node.children()) {
        write(child, depth + 1, out);
      }
      out.append(INDENT.repeat(depth)).append("}");
    }
    out.append('\n');
  }

  private static String word(String word) {
    if (word.indexOf('"') >= 0) {
      // The lexer never yields one: a quote inside a word is refused, a quoted word ends at the
      // next quote.
      throw new IllegalArgumentException("a word with a double quote cannot be written: " + word);
    }
    return NEEDS_QUOTES.matcher(word).find() ? "\"" + word + "\"" : word;
  }
}
