package io.kubelvs.agent.check;

/** An inclusive range of HTTP status codes that mean healthy, such as 200-299. */
public record StatusCodeRange(int from, int to) {

  public static final StatusCodeRange SUCCESS = new StatusCodeRange(200, 299);

  public StatusCodeRange {
    if (from < 100 || to > 599 || from > to) {
      throw new IllegalArgumentException(
          "status code range " + from + "-" + to + " must lie within 100-599, low end first");
    }
  }

  /** Parses {@code "200"} or {@code "200-299"}. */
  public static StatusCodeRange parse(String text) {
    int dash = text.indexOf('-');
    try {
      if (dash < 0) {
        int code = Integer.parseInt(text.strip());
        return new StatusCodeRange(code, code);
      }
      return new StatusCodeRange(
          Integer.parseInt(text.substring(0, dash).strip()),
          Integer.parseInt(text.substring(dash + 1).strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "status code \"" + text + "\" is neither a code nor a range such as 200-299", e);
    }
  }

  public boolean contains(int status) {
    return status >= from && status <= to;
  }

  @Override
  public String toString() {
    return from == to ? Integer.toString(from) : from + "-" + to;
  }
}
