package io.kubelvs.agent.config;

import io.kubelvs.agent.config.ConfLexer.Kind;
import io.kubelvs.agent.config.ConfLexer.Token;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads keepalived.conf and the files it includes into a tree of {@link ConfNode}s, collecting
 * every problem instead of stopping at the first.
 *
 * <p>Includes follow keepalived: the file name is a glob relative to the including file's
 * directory, the matches are read in sorted order, and their statements land where the include line
 * stands, inside a block if it is in one. Stricter than keepalived: a file named without wildcards
 * must exist and each file must close the blocks it opens (keepalived reads all files as one stream
 * of lines, so a block could open in one file and close in another). A pattern with wildcards that
 * matches nothing is a warning for {@code include} and {@code includer} (keepalived only logs it:
 * an empty conf.d is normal) and a problem for {@code includem}, {@code includew}, {@code includeb}
 * and {@code includea}.
 */
final class KeepalivedConfParser {
  /** Far deeper than hand-written configurations go; stops a generator gone wrong. */
  static final int MAX_INCLUDE_DEPTH = 16;

  private static final Set<String> INCLUDES_THAT_MUST_MATCH =
      Set.of("includem", "includew", "includeb", "includea");

  /** The include keywords; their file name is a glob, see {@link ConfLexer}. */
  static final Set<String> INCLUDES =
      Set.of("include", "includer", "includem", "includew", "includeb", "includea");

  private final Optional<String> configId;
  private final List<ConfProblem> problems = new ArrayList<>();
  private final List<ConfProblem> warnings = new ArrayList<>();
  // The files being read, outermost first: as shown in messages, and resolved to find cycles.
  private final List<Path> chain = new ArrayList<>();
  private final List<Path> realChain = new ArrayList<>();

  KeepalivedConfParser(Optional<String> configId) {
    this.configId = configId;
  }

  KeepalivedConf parse(Path mainFile) throws KeepalivedConfException {
    List<Draft> statements = new ArrayList<>();
    readFile(mainFile, statements, ConfPosition.wholeFile(mainFile), "");
    if (!problems.isEmpty()) {
      throw new KeepalivedConfException(problems);
    }
    return new KeepalivedConf(
        ConfNode.root(mainFile, statements.stream().map(Draft::build).toList()), warnings);
  }

  /**
   * Reads one file into {@code into}.
   *
   * @param at where the file was asked for: the include line, or the main file itself
   * @param context how it was asked for, {@code include "conf.d/*.conf"}; empty for the main file
   */
  private void readFile(Path file, List<Draft> into, ConfPosition at, String context) {
    Optional<String> refusal = refusal(file);
    if (refusal.isPresent()) {
      problem(at, context.isEmpty() ? refusal.get() : context + ": " + file + ": " + refusal.get());
      return;
    }
    Path real;
    List<String> lines;
    try {
      real = file.toRealPath();
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      problem(at, prefix(context) + "cannot read " + file + ": " + describe(e));
      return;
    }
    Optional<String> chainProblem = chainProblem(file, real);
    if (chainProblem.isPresent()) {
      problem(at, prefix(context) + chainProblem.get());
      return;
    }
    chain.add(file);
    realChain.add(real);
    FileParse parse = new FileParse(file, into);
    for (int i = 0; i < lines.size(); i++) {
      parse.line(new ConfPosition(file, i + 1), lines.get(i));
    }
    parse.finish();
    chain.remove(chain.size() - 1);
    realChain.remove(realChain.size() - 1);
  }

  /** What is wrong with reading this file next: it is already being read, or is too deep. */
  private Optional<String> chainProblem(Path file, Path real) {
    int seen = realChain.indexOf(real);
    if (seen >= 0) {
      return Optional.of("include cycle: " + path(chain.subList(seen, chain.size()), file));
    }
    if (chain.size() > MAX_INCLUDE_DEPTH) {
      return Optional.of(
          "includes nested more than " + MAX_INCLUDE_DEPTH + " files deep: " + path(chain, file));
    }
    return Optional.empty();
  }

  /** Why keepalived would not read this file, if it would not. */
  private static Optional<String> refusal(Path file) {
    if (!Files.exists(file)) {
      return Optional.of("no such file");
    }
    if (Files.isDirectory(file)) {
      return Optional.of("is a directory, not a file");
    }
    if (!Files.isRegularFile(file)) {
      return Optional.of("is not a regular file");
    }
    if (isExecutable(file)) {
      // keepalived's read_conf_file skips such files for safety; we refuse rather than skip.
      return Optional.of("is executable, and keepalived does not read executable files");
    }
    return Optional.empty();
  }

  private static boolean isExecutable(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      return permissions.contains(PosixFilePermission.OWNER_EXECUTE)
          || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
          || permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
    } catch (UnsupportedOperationException | IOException cannotTell) {
      // No POSIX modes to check: reading the file reports any real I/O problem.
      return false;
    }
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof MalformedInputException) {
      return "not UTF-8 text";
    }
    return e.toString();
  }

  private static String prefix(String context) {
    return context.isEmpty() ? "" : context + ": ";
  }

  private static String path(List<Path> files, Path last) {
    return files.stream().map(Path::toString).collect(Collectors.joining(" -> ")) + " -> " + last;
  }

  private void problem(ConfPosition at, String message) {
    problems.add(new ConfProblem(at, message));
  }

  /** A statement while its block is still being read. */
  private static final class Draft {
    final String keyword;
    final List<String> args;
    final ConfPosition position;
    final List<Draft> children = new ArrayList<>();
    boolean block;

    Draft(String keyword, List<String> args, ConfPosition position) {
      this.keyword = keyword;
      this.args = args;
      this.position = position;
    }

    ConfNode build() {
      return new ConfNode(
          keyword, args, block, children.stream().map(Draft::build).toList(), position);
    }
  }

  /** The statements and blocks of one file, appended to the block that includes it. */
  private final class FileParse {
    private final Path file;
    private final List<Draft> top;
    private final LineDirectives directives = new LineDirectives(configId);
    // Innermost first. A '{' with no statement before it opens a block attached to nothing, so
    // that its '}' still balances and one mistake gives one problem.
    private final Deque<Draft> open = new ArrayDeque<>();
    private Draft awaitingBlock;

    FileParse(Path file, List<Draft> top) {
      this.file = file;
      this.top = top;
    }

    void line(ConfPosition at, String text) {
      List<String> lineProblems = new ArrayList<>();
      List<Token> tokens = directives.apply(ConfLexer.lex(text), lineProblems);
      lineProblems.forEach(message -> problem(at, message));
      List<String> words = new ArrayList<>();
      for (Token token : tokens) {
        if (token.kind() == Kind.WORD) {
          words.add(token.text());
          continue;
        }
        statement(words, at);
        words.clear();
        if (token.kind() == Kind.OPEN) {
          openBlock(at);
        } else {
          closeBlock(at);
        }
      }
      statement(words, at);
    }

    void finish() {
      for (Iterator<Draft> outermostFirst = open.descendingIterator(); outermostFirst.hasNext(); ) {
        Draft block = outermostFirst.next();
        problem(
            block.position,
            block.keyword.isEmpty()
                ? "'{' is not closed"
                : "block '" + block.keyword + "' is not closed (opened here)");
      }
    }

    private void statement(List<String> words, ConfPosition at) {
      if (words.isEmpty()) {
        return;
      }
      awaitingBlock = null;
      String keyword = words.get(0);
      List<String> args = List.copyOf(words.subList(1, words.size()));
      if (keyword.isEmpty()) {
        problem(at, "a statement cannot start with an empty string \"\"");
      } else if (INCLUDES.contains(keyword)) {
        include(keyword, args, at);
      } else if (keyword.equals("include_check")) {
        problem(at, "include_check is not supported; includea makes an include strict");
      } else {
        Draft statement = new Draft(keyword, args, at);
        current().add(statement);
        awaitingBlock = statement;
      }
    }

    private void openBlock(ConfPosition at) {
      if (awaitingBlock == null) {
        problem(at, "'{' without a keyword before it");
        open.push(new Draft("", List.of(), at));
      } else {
        awaitingBlock.block = true;
        open.push(awaitingBlock);
      }
      awaitingBlock = null;
    }

    private void closeBlock(ConfPosition at) {
      awaitingBlock = null;
      if (open.isEmpty()) {
        problem(at, "unbalanced '}'");
      } else {
        open.pop();
      }
    }

    private List<Draft> current() {
      return open.isEmpty() ? top : open.peek().children;
    }

    private void include(String keyword, List<String> args, ConfPosition at) {
      if (args.size() != 1) {
        problem(at, keyword + " takes one file name or pattern, got " + args.size());
        return;
      }
      String pattern = args.get(0);
      String context = keyword + " \"" + pattern + "\"";
      Path directory = Optional.ofNullable(file.getParent()).orElse(Path.of(""));
      List<Path> files;
      try {
        files = IncludeGlob.expand(directory, pattern);
      } catch (IOException e) {
        problem(at, context + ": " + describe(e));
        return;
      } catch (IllegalArgumentException e) {
        problem(at, context + ": not a valid file pattern: " + e.getMessage());
        return;
      }
      if (files.isEmpty()) {
        ConfProblem noMatch = new ConfProblem(at, context + " matches no file");
        (INCLUDES_THAT_MUST_MATCH.contains(keyword) ? problems : warnings).add(noMatch);
      }
      for (Path included : files) {
        readFile(included, current(), at, context);
      }
    }
  }
}
