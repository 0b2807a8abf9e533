package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An ICMP echo check (keepalived PING_CHECK): healthy when the real server answers in time. */
// A class annotation lets Jackson write the property-less record as {}.
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PingCheck() {}
