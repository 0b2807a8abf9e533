package io.kubelvs.agent.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubelvs.agent.engine.DirectorEngine;
import io.kubelvs.agent.ipvs.IpvsTable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP endpoints: {@code GET /metrics}, the Prometheus text format, and {@code GET
 * /status}, the same facts as JSON ({@link DirectorStatus}). Each request gathers the facts anew,
 * the kernel's IPVS counters included. Other methods get 405, other paths 404. Served by the JDK's
 * HTTP server on two threads of its own: nothing here runs on a thread of the data plane.
 */
public final class ObserveServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ObserveServer.class);

  static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String JSON_TYPE = "application/json";
  private static final String TEXT_TYPE = "text/plain; charset=utf-8";
  private static final int THREADS = 2;
  private static final Set<String> ENDPOINTS = Set.of("/metrics", "/status", "/healthz", "/readyz");

  private final HttpServer server;
  private final ExecutorService threads;
  private final DirectorObserver observer;
  private final Probes probes;
  private final DirectorMetrics metrics = new DirectorMetrics();
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ObserveServer(
      HttpServer server, ExecutorService threads, DirectorObserver observer, Probes probes) {
    this.server = server;
    this.threads = threads;
    this.observer = observer;
    this.probes = probes;
  }

  /**
   * What {@code GET /healthz} and {@code GET /readyz} answer, for the DaemonSet's probes. Live: the
   * checker's thread answers (a wedged agent is restarted; VRRP's own threads are what answers a
   * peer). Ready: a configuration runs.
   */
  public interface Probes {
    /** Why the agent is not ready, or empty when it is. */
    Optional<String> notReady();

    /** Ready from the start: standalone mode applies its file before anything else. */
    Probes ALWAYS_READY = Optional::empty;
  }

  /**
   * Serves {@code observer}'s facts on {@code address}; closing the server closes the observer.
   *
   * @throws IOException when the address cannot be bound
   */
  public static ObserveServer start(
      InetSocketAddress address, DirectorObserver observer, Probes probes) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "observe-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ObserveServer observe = new ObserveServer(server, threads, observer, probes);
    server.createContext("/", observe::handle);
    server.setExecutor(threads);
    server.start();
    LOG.info(
        "observe serving address={} endpoints=/metrics,/status,/healthz,/readyz",
        observe.address());
    return observe;
  }

  /**
   * Observes {@code engine} (call it before the engine's first apply) and serves on {@code
   * address}, if one is given. An address that cannot be bound is logged and the director runs
   * without the endpoints: its data plane matters more than its metrics.
   *
   * @param kernel opens an IPVS table for the kernel's counters, e.g. {@code IpvsClient::open}
   */
  public static Optional<ObserveServer> startIfEnabled(
      Optional<InetSocketAddress> address,
      DirectorEngine engine,
      Supplier<? extends IpvsTable> kernel) {
    if (address.isEmpty()) {
      return Optional.empty();
    }
    DirectorObserver observer = DirectorObserver.attach(engine, kernel);
    try {
      return Optional.of(start(address.get(), observer, Probes.ALWAYS_READY));
    } catch (IOException | RuntimeException e) {
      LOG.error(
          "observe cannot listen, running without /metrics and /status address={} error=\"{}\"",
          address.get(),
          e.getMessage());
      observer.close();
      return Optional.empty();
    }
  }

  /** The address bound: with port 0, the port the system chose. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops serving at once and closes the observer. */
  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    observer.close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!ENDPOINTS.contains(path)) {
        send(
            exchange,
            404,
            TEXT_TYPE,
            "not found: the endpoints are GET /metrics, /status, /healthz and /readyz\n");
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, TEXT_TYPE, "method not allowed: only GET\n");
      } else if (path.equals("/healthz")) {
        live(exchange);
      } else if (path.equals("/readyz")) {
        Optional<String> notReady = probes.notReady();
        send(exchange, notReady.isEmpty() ? 200 : 503, TEXT_TYPE, notReady.orElse("ok") + "\n");
      } else {
        serve(exchange, path);
      }
    }
  }

  private void live(HttpExchange exchange) throws IOException {
    Optional<String> dead =
        observer.status().sources().stream()
            .filter(source -> source.name().equals(DirectorObserver.HEALTH) && !source.ok())
            .map(source -> "the checker does not answer: " + source.lastError())
            .findFirst();
    send(exchange, dead.isEmpty() ? 200 : 503, TEXT_TYPE, dead.orElse("ok") + "\n");
  }

  private void serve(HttpExchange exchange, String path) throws IOException {
    String body;
    try {
      DirectorStatus status = observer.status();
      body = path.equals("/metrics") ? metrics.scrape(status) : json.writeValueAsString(status);
    } catch (IOException | RuntimeException e) {
      LOG.error("observe request failed path={} error=\"{}\"", path, e.getMessage(), e);
      send(exchange, 500, TEXT_TYPE, "could not gather the facts: " + e.getMessage() + "\n");
      return;
    }
    send(exchange, 200, path.equals("/metrics") ? METRICS_TYPE : JSON_TYPE, body);
  }

  private static void send(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
