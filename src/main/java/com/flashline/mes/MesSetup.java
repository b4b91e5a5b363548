package com.flashline.mes;

import com.flashline.audit.AuditLog;
import com.flashline.config.FlashLineProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The MES push, present only when {@code flashline.mes.mqtt.url} is set. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MesMqttProperties.class)
@ConditionalOnProperty(prefix = "flashline.mes.mqtt", name = "url")
class MesSetup {

    @Bean
    MqttAuditPublisher mqttAuditPublisher(MesMqttProperties mqtt, FlashLineProperties station, AuditLog auditLog,
            MesDeliveryPosition positions, JsonMapper json, Clock clock, ObjectProvider<SslBundles> sslBundles) {
        return new MqttAuditPublisher(mqtt, connectOptions(mqtt, sslBundles), station.station().id(), auditLog,
                positions, json, clock);
    }

    /**
     * A clean session every time: what the broker held for a lost connection is published again
     * from the stored position, so nothing depends on the broker's memory of this client.
     */
    static MqttConnectOptions connectOptions(MesMqttProperties mqtt, ObjectProvider<SslBundles> sslBundles) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(mqtt.batchSize());
        options.setConnectionTimeout((int) Math.max(1, mqtt.operationTimeout().toSeconds()));
        options.setKeepAliveInterval(30);
        if (mqtt.username() != null) {
            options.setUserName(mqtt.username());
            options.setPassword(mqtt.password() == null ? new char[0] : mqtt.password().toCharArray());
        }
        if (mqtt.sslBundle() != null) {
            SslBundles bundles = sslBundles.getIfAvailable();
            if (bundles == null) {
                throw new IllegalStateException("flashline.mes.mqtt.ssl-bundle is set but no SSL bundles are configured");
            }
            options.setSocketFactory(bundles.getBundle(mqtt.sslBundle()).createSslContext().getSocketFactory());
        }
        return options;
    }

    @Bean
    MesLinkHealthIndicator mesLinkHealthIndicator(MqttAuditPublisher publisher, MesMqttProperties mqtt) {
        return new MesLinkHealthIndicator(publisher, mqtt);
    }

    @Bean
    MeterBinder mesMetrics(MqttAuditPublisher publisher) {
        return meters -> {
            Gauge.builder("flashline.mes.backlog", publisher, p -> p.state().backlog())
                    .description("Audit records of this station not yet acknowledged by the MES broker")
                    .baseUnit("records")
                    .register(meters);
            TimeGauge.builder("flashline.mes.oldest.undelivered.age", publisher, TimeUnit.SECONDS,
                            p -> p.oldestUndeliveredAge().toMillis() / 1000.0)
                    .description("How long the oldest audit record not yet acknowledged by the MES broker has waited")
                    .register(meters);
            Gauge.builder("flashline.mes.connected", publisher, p -> p.state().connected() ? 1 : 0)
                    .description("1 while the MES broker is connected")
                    .register(meters);
        };
    }
}
