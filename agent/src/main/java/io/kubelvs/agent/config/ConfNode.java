package io.kubelvs.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * One statement of keepalived.conf: a keyword, its argument words, and the statements of the block
 * that follows it, if one does.
 *
 * <p>{@code real_server 172.16.53.101 80 { weight 1 }} is the node {@code real_server} with
 * arguments {@code [172.16.53.101, 80]} and one child, {@code weight [1]}. The lines of a value
 * block ({@code virtual_ipaddress}, {@code notification_email}) are children too: the line {@code
 * 172.16.53.50/24 dev eth0} is a child whose {@link #words()} are the address and its options.
 *
 * <p>Which keywords exist is not known here; the query methods only check shape and number format
 * and report problems at this node's {@link #position()}.
 *
 * @param keyword the first word; empty only for the {@linkplain KeepalivedConf#root() root}
 * @param args the words after the keyword, quotes removed
 * @param block whether a {@code { ... }} block follows, even an empty one
 * @param children the statements of the block, in file order, included files spliced in
 * @param position where the keyword was written
 */
public record ConfNode(
    String keyword,
    List<String> args,
    boolean block,
    List<ConfNode> children,
    ConfPosition position) {

  public ConfNode {
    Objects.requireNonNull(keyword, "keyword");
    Objects.requireNonNull(position, "position");
    args = List.copyOf(args);
    children = List.copyOf(children);
    if (!block && !children.isEmpty()) {
      throw new IllegalArgumentException(keyword + " has children but no block");
    }
  }

  /** The top of the tree: the statements of the main file and of what it includes. */
  static ConfNode root(Path mainFile, List<ConfNode> statements) {
    return new ConfNode("", List.of(), true, statements, ConfPosition.wholeFile(mainFile));
  }

  /** The keyword followed by the arguments: a line of a value block as keepalived reads it. */
  public List<String> words() {
    List<String> words = new ArrayList<>(args.size() + 1);
    words.add(keyword);
    words.addAll(args);
    return List.copyOf(words);
  }

  /** The children with this keyword, in file order; {@code real_server}, {@code url}. */
  public List<ConfNode> children(String keyword) {
    return children.stream().filter(c -> c.keyword.equals(keyword)).toList();
  }

  /** The child with this keyword, if written; an error if written more than once. */
  public Optional<ConfNode> optionalChild(String keyword) throws KeepalivedConfException {
    List<ConfNode> found = children(keyword);
    if (found.size() > 1) {
      throw found
          .get(1)
          .error(keyword + " is given more than once (first at " + found.get(0).position + ")");
    }
    return found.stream().findFirst();
  }

  /** The child with this keyword; an error at this node if it is missing. */
  public ConfNode requireChild(String keyword) throws KeepalivedConfException {
    Optional<ConfNode> child = optionalChild(keyword);
    if (child.isEmpty()) {
      throw error(
          isRoot() ? "missing '" + keyword + "'" : subject() + ": missing '" + keyword + "'");
    }
    return child.get();
  }

  /** The one argument of this statement: {@code router_id LVS_DEVEL}. */
  public String singleArg() throws KeepalivedConfException {
    if (args.size() != 1) {
      String got =
          args.isEmpty()
              ? "none"
              : args.size()
                  + ": "
                  + args.stream().map(ConfNode::quote).collect(Collectors.joining(" "));
      throw error(keyword + ": expected one value, got " + got);
    }
    return args.get(0);
  }

  /** The one argument as an integer within [min, max]: {@code priority 100}. */
  public int intArg(int min, int max) throws KeepalivedConfException {
    String text = singleArg();
    OptionalLong value = ConfValues.parseInteger(text);
    if (value.isEmpty() || value.getAsLong() < min || value.getAsLong() > max) {
      throw error(keyword + ": expected an integer " + min + "-" + max + ", got " + quote(text));
    }
    return (int) value.getAsLong();
  }

  /**
   * The one argument as a keepalived time within [min, max]: seconds, possibly fractional, to the
   * microsecond: {@code advert_int 0.05}, {@code delay_loop 6}.
   */
  public Duration durationArg(Duration min, Duration max) throws KeepalivedConfException {
    String text = singleArg();
    Optional<Duration> value = ConfValues.parseSeconds(text);
    if (value.isEmpty() || value.get().compareTo(min) < 0 || value.get().compareTo(max) > 0) {
      throw error(
          keyword
              + ": expected a time in seconds "
              + ConfValues.seconds(min)
              + "-"
              + ConfValues.seconds(max)
              + ", got "
              + quote(text));
    }
    return value.get();
  }

  /** The single argument of the child with this keyword, which must be written. */
  public String requireString(String keyword) throws KeepalivedConfException {
    return requireChild(keyword).singleArg();
  }

  /** The single argument of the child with this keyword, if written. */
  public Optional<String> optionalString(String keyword) throws KeepalivedConfException {
    Optional<ConfNode> child = optionalChild(keyword);
    return child.isEmpty() ? Optional.empty() : Optional.of(child.get().singleArg());
  }

  /** The child with this keyword as an integer within [min, max]; it must be written. */
  public int requireInt(String keyword, int min, int max) throws KeepalivedConfException {
    return requireChild(keyword).intArg(min, max);
  }

  /** The child with this keyword as an integer within [min, max], if written. */
  public OptionalInt optionalInt(String keyword, int min, int max) throws KeepalivedConfException {
    Optional<ConfNode> child = optionalChild(keyword);
    return child.isEmpty() ? OptionalInt.empty() : OptionalInt.of(child.get().intArg(min, max));
  }

  /** The child with this keyword as a keepalived time within [min, max]; it must be written. */
  public Duration requireDuration(String keyword, Duration min, Duration max)
      throws KeepalivedConfException {
    return requireChild(keyword).durationArg(min, max);
  }

  /** The child with this keyword as a keepalived time within [min, max], if written. */
  public Optional<Duration> optionalDuration(String keyword, Duration min, Duration max)
      throws KeepalivedConfException {
    Optional<ConfNode> child = optionalChild(keyword);
    return child.isEmpty() ? Optional.empty() : Optional.of(child.get().durationArg(min, max));
  }

  /** A problem at this statement, for the mapping to collect: {@code file:line: message}. */
  public ConfProblem problem(String message) {
    return new ConfProblem(position, message);
  }

  /** The mapping's verdict that this keyword does not exist where it was written. */
  public ConfProblem unknownKeyword() {
    return problem("unknown keyword '" + keyword + "'");
  }

  /** A problem at this statement, ready to throw. */
  public KeepalivedConfException error(String message) {
    return new KeepalivedConfException(problem(message));
  }

  /** One line, without the children: {@code real_server 172.16.53.101 80 {...} (file:31)}. */
  @Override
  public String toString() {
    String head = isRoot() ? "(root)" : String.join(" ", words());
    return head + (block ? " {...}" : "") + " (" + position + ")";
  }

  private boolean isRoot() {
    return keyword.isEmpty();
  }

  private String subject() {
    return String.join(" ", words());
  }

  private static String quote(String text) {
    return '"' + text + '"';
  }
}
