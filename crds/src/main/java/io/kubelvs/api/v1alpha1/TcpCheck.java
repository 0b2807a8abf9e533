package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A TCP connect check (keepalived TCP_CHECK): healthy when the connection opens within {@code
 * connectTimeout}. Where to connect from and to is set on the health check ({@code connectAddress},
 * {@code connectPort}, {@code bindAddress}, {@code bindPort}), since keepalived shares those
 * keywords among its checkers.
 */
// A class annotation lets Jackson write the property-less record as {}.
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TcpCheck() {}
