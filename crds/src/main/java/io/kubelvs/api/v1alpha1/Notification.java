package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where the directors report state changes besides status and Kubernetes Events. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notification(
    @JsonPropertyDescription("E-mail (keepalived notification_email and smtp_alert).")
        EmailNotification email) {}
