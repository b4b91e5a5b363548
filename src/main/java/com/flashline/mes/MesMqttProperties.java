package com.flashline.mes;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The MES push through an MQTT broker, bound from {@code flashline.mes.mqtt.*} and documented in
 * {@code config/application.yml}. Off unless {@code url} is set.
 *
 * @param url              broker, {@code tcp://host:1883} or {@code ssl://host:8883}
 * @param topicPrefix      records go to {@code <prefix>/<station id>/audit}
 * @param clientId         MQTT client id; default {@code flashline-<station id>}
 * @param username         for brokers that want a sign-in
 * @param password         with {@code username}
 * @param sslBundle        name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) for
 *                         {@code ssl://} brokers: the trust store, and a key store for client certificates
 * @param batchSize        records in flight at once (published, not yet acknowledged)
 * @param pollInterval     how often the log is looked at for new records when all were delivered
 * @param backoffInitial   first wait after the broker could not be reached; doubled up to {@code backoffMax}
 * @param backoffMax       longest wait between two attempts
 * @param operationTimeout how long a connect or an acknowledgement is waited for
 */
@Validated
@ConfigurationProperties("flashline.mes.mqtt")
public record MesMqttProperties(
        String url,
        @NotBlank @DefaultValue("flashline") String topicPrefix,
        String clientId,
        String username,
        String password,
        String sslBundle,
        @Min(1) @Max(1000) @DefaultValue("100") int batchSize,
        @NotNull @DefaultValue("500ms") Duration pollInterval,
        @NotNull @DefaultValue("1s") Duration backoffInitial,
        @NotNull @DefaultValue("30s") Duration backoffMax,
        @NotNull @DefaultValue("10s") Duration operationTimeout) {

    /** The topic of one station's records. */
    String topic(String stationId) {
        return topicPrefix + "/" + stationId + "/audit";
    }

    /** The url without a password someone may have put into it, for health and logs. */
    String redactedUrl() {
        return url == null ? null : url.replaceAll("//[^/@]*@", "//");
    }

    @Override
    public String toString() {
        return "MesMqttProperties[url=" + redactedUrl() + ", topicPrefix=" + topicPrefix + ", username=" + username
                + ", password=" + (password == null ? null : "***") + "]";
    }
}
