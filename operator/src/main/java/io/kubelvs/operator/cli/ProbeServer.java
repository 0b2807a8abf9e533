package io.kubelvs.operator.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The kubelet's probes and Prometheus' scrape, on one small HTTP server: {@code /healthz} answers
 * while the process runs, {@code /readyz} once this replica leads and its caches are synced (a
 * standby is alive but not ready, so {@code kubectl get pods} shows which replica works), {@code
 * /metrics} the registry in Prometheus' text format.
 */
final class ProbeServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "kubelvs-probes");
            t.setDaemon(true);
            return t;
          });

  ProbeServer(InetSocketAddress address, BooleanSupplier ready, PrometheusMeterRegistry registry)
      throws IOException {
    server = HttpServer.create(address, 0);
    server.setExecutor(threads);
    server.createContext("/healthz", e -> answer(e, 200, "text/plain", "ok\n"));
    server.createContext(
        "/readyz",
        e -> {
          boolean isReady = ready.getAsBoolean();
          answer(e, isReady ? 200 : 503, "text/plain", isReady ? "ready\n" : "standby\n");
        });
    server.createContext(
        "/metrics",
        e -> answer(e, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
