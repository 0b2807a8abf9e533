package io.kubelvs.agent.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** A scraper of an {@link ObserveServer}, as Prometheus and curl would use it. */
final class ObserveClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String base;

  ObserveClient(InetSocketAddress server) {
    this.base = "http://127.0.0.1:" + server.getPort();
  }

  HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** GET /metrics as series ({@code name{labels}}, labels sorted as the registry writes them). */
  Map<String, Double> metrics() throws IOException, InterruptedException {
    HttpResponse<String> response = ok("/metrics");
    Map<String, Double> series = new TreeMap<>();
    for (String line : response.body().split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return series;
  }

  JsonNode status() throws IOException, InterruptedException {
    return new ObjectMapper().readTree(ok("/status").body());
  }

  private HttpResponse<String> ok(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = send("GET", path);
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET " + path + ": " + response.statusCode() + " " + response.body());
    }
    return response;
  }
}
