package io.kubelvs.agent.check;

/** The HTTP version of the request line; keepalived's HTTP_GET sends HTTP/1.0 by default. */
public enum HttpVersion {
  HTTP_1_0("HTTP/1.0"),
  HTTP_1_1("HTTP/1.1");

  private final String requestLineText;

  HttpVersion(String requestLineText) {
    this.requestLineText = requestLineText;
  }

  public String requestLineText() {
    return requestLineText;
  }
}
