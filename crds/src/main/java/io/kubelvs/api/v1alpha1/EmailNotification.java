package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** E-mail on VRRP state changes and real-server up/down, as keepalived's global_defs sends it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmailNotification(
    @Required
        @Size(min = 1, max = 32)
        @JsonPropertyDescription("Recipients (keepalived notification_email).")
        List<@Pattern(Patterns.EMAIL) String> to,
    @Required
        @Pattern(Patterns.EMAIL)
        @JsonPropertyDescription("Sender (keepalived notification_email_from).")
        String from,
    @Required
        @Pattern(Patterns.HOST)
        @JsonPropertyDescription(
            "SMTP server, a host name or an address, reached from the director nodes (keepalived"
                + " smtp_server).")
        String smtpServer,
    @Min(1)
        @Max(65535)
        @Default("25")
        @JsonPropertyDescription("SMTP port (keepalived smtp_server <host> <port>).")
        Integer smtpPort,
    @Pattern(Patterns.DURATION)
        @Default("30s")
        @JsonPropertyDescription(
            "Give up on the SMTP server after this long (keepalived smtp_connect_timeout).")
        String connectTimeout) {}
