package io.kubelvs.agent.notify;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends mail on one thread of its own, so that the VRRP and checker threads that report events
 * never wait for a relay. Mail waits in a bounded queue; when it is full the new mail is dropped
 * and logged, as is a mail the relay refuses: like keepalived, there is no retry.
 */
public final class MailSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MailSender.class);

  /** Far more than a burst of state changes produces; a relay that is down drains it slowly. */
  public static final int DEFAULT_QUEUE = 64;

  private final ThreadPoolExecutor thread;
  private volatile SmtpClient inFlight;

  public MailSender() {
    this(DEFAULT_QUEUE);
  }

  MailSender(int queue) {
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            runnable -> {
              Thread t = new Thread(runnable, "notify-mail");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Queues {@code message} for {@code relay}; returns at once.
   *
   * @return false when the mail was dropped (queue full, or the sender is closed)
   */
  public boolean submit(SmtpRelay relay, MailMessage message) {
    return submit(relay, message, (sent, error) -> {});
  }

  /** As {@link #submit(SmtpRelay, MailMessage)}, telling {@code done} how it went. */
  boolean submit(
      SmtpRelay relay, MailMessage message, BiConsumer<MailMessage, SmtpException> done) {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(message, "message");
    try {
      thread.execute(() -> send(relay, message, done));
      return true;
    } catch (RejectedExecutionException e) {
      LOG.warn(
          "event=mail_dropped server={} subject=\"{}\" reason=\"{}\"",
          relay.name(),
          message.subject(),
          thread.isShutdown() ? "the agent is stopping" : "too many mails waiting");
      return false;
    }
  }

  private void send(
      SmtpRelay relay, MailMessage message, BiConsumer<MailMessage, SmtpException> done) {
    SmtpClient client = new SmtpClient(relay);
    inFlight = client;
    try {
      client.deliver(message);
      LOG.info(
          "event=mail_sent server={} to=\"{}\" subject=\"{}\"",
          relay.name(),
          String.join(", ", message.to()),
          message.subject());
      done.accept(message, null);
    } catch (SmtpException e) {
      LOG.warn(
          "event=mail_failed server={} step=\"{}\" subject=\"{}\" error=\"{}\"",
          e.server(),
          e.step(),
          message.subject(),
          e.getMessage());
      done.accept(message, e);
    } finally {
      inFlight = null;
    }
  }

  /**
   * Sends what is queued for at most {@code bound}, then gives up on the rest (a conversation in
   * progress is cut) and logs how many mails were not sent.
   */
  public void close(Duration bound) {
    thread.shutdown();
    try {
      if (thread.awaitTermination(bound.toNanos(), TimeUnit.NANOSECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Runnable> unsent = thread.shutdownNow();
    SmtpClient client = inFlight;
    if (client != null) {
      client.abort();
    }
    LOG.warn(
        "event=mail_dropped count={} reason=\"not sent within {} ms of stopping\"",
        unsent.size() + (client != null ? 1 : 0),
        bound.toMillis());
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
