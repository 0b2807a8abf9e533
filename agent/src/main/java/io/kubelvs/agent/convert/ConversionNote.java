package io.kubelvs.agent.convert;

import io.kubelvs.agent.config.ConfNode;
import io.kubelvs.agent.config.ConfPosition;
import java.util.Objects;

/**
 * Something keepalived.conf says that the resources cannot, or say differently: written as a {@code
 * #} comment above the resource it concerns, and to stderr.
 *
 * @param position where the keyword was written
 * @param keyword the keepalived keyword, as written
 * @param text what became of it, and why
 */
public record ConversionNote(ConfPosition position, String keyword, String text) {

  public ConversionNote {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(keyword, "keyword");
    Objects.requireNonNull(text, "text");
  }

  /** A note on {@code node}'s keyword at its position. */
  static ConversionNote at(ConfNode node, String text) {
    return new ConversionNote(node.position(), node.keyword(), text);
  }

  /** {@code keepalived.conf:17: state MASTER: ...}, the form compilers and editors understand. */
  @Override
  public String toString() {
    return position + ": " + keyword + ": " + text;
  }
}
