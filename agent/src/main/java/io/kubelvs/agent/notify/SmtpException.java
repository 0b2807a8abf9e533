package io.kubelvs.agent.notify;

/**
 * A mail that did not go out: which relay, at which step of the conversation, and why - the reply
 * the relay gave, or what happened to the connection.
 */
public final class SmtpException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The steps of keepalived's smtp.c, in the order of the conversation. */
  public enum Step {
    CONNECT("connect"),
    GREETING("greeting"),
    HELO("HELO"),
    MAIL_FROM("MAIL FROM"),
    RCPT_TO("RCPT TO"),
    DATA("DATA"),
    MESSAGE("end of message"),
    QUIT("QUIT");

    private final String text;

    Step(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  private final String server;
  private final Step step;

  SmtpException(String server, Step step, String reason, Throwable cause) {
    super("SMTP " + server + ": " + step + ": " + reason, cause);
    this.server = server;
    this.step = step;
  }

  /** The relay, {@code 127.0.0.1:25}. */
  public String server() {
    return server;
  }

  public Step step() {
    return step;
  }
}
