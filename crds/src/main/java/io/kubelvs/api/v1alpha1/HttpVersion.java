package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** HTTP version of HTTP_GET/SSL_GET requests (keepalived {@code http_protocol}). */
public enum HttpVersion {
  @JsonProperty("1.0")
  HTTP_1_0,
  @JsonProperty("1.1")
  HTTP_1_1
}
