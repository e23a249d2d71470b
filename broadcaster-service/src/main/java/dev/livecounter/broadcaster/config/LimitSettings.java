package dev.livecounter.broadcaster.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;

/**
 * What one client may do: the socket endpoint is public and counters are numbers people will try to inflate.
 *
 * @param clientIpHeader       header the trusted proxy (the ingress) puts the client's address in, e.g.
 *                             {@code X-Forwarded-For}; its last entry is used, as that is the one the proxy
 *                             added. Unset (default): the peer address. Env {@code LIVECOUNTER_LIMITS_CLIENT_IP_HEADER}
 * @param trustedProxies       peer addresses (CIDR blocks, e.g. {@code 10.0.0.0/8}) whose {@code clientIpHeader} is
 *                             believed; from any other peer (a port-forward, another pod) the header is ignored and
 *                             the peer address counts. Empty (default): the header is believed from any peer.
 *                             Env {@code LIVECOUNTER_LIMITS_TRUSTED_PROXIES}
 * @param socketsPerIp         open sockets one address may hold (default 50)
 *                             <p>Every per-address limit here is the fleet's: with N live replicas each allows 1/N
 *                             of it ({@code FleetShare}).
 * @param connectsPerSecond    new sockets one address may open per second, sustained (default 5)
 * @param connectBurst         ... and in a burst (default 20)
 * @param messagesPerSecond    messages one socket may send per second, sustained (default 5)
 * @param messageBurst         ... and in a burst (default 20)
 * @param visitorsPerMinute    different visitor ids one address may bring a minute and have counted as unique visitors;
 *                             past it the visits count, the visitors not (default 30; 0: no limit)
 * @param subscribesPerSecond  table subscribes one address may make per second, sustained (default 2)
 * @param subscribeBurst       ... and in a burst (default 20)
 * @param rejectedBeforeClose  messages refused in a row (rate-limited or malformed) before the socket is closed
 *                             with 1008 (default 50)
 * @param pingInterval         the server pings every socket this often; proxies keep idle sockets open (default 25s)
 * @param idleTimeout          a socket that sent nothing, not even a pong, for this long is dead and closed (default 70s)
 */
@ConfigurationProperties("livecounter.limits")
public record LimitSettings(
        @Nullable String clientIpHeader,
        @Nullable List<@NotBlank String> trustedProxies,
        @Bindable(defaultValue = "50") @Min(1) int socketsPerIp,
        @Bindable(defaultValue = "5") @Min(1) int connectsPerSecond,
        @Bindable(defaultValue = "20") @Min(1) int connectBurst,
        @Bindable(defaultValue = "5") @Min(1) int messagesPerSecond,
        @Bindable(defaultValue = "20") @Min(1) int messageBurst,
        @Bindable(defaultValue = "30") @Min(0) int visitorsPerMinute,
        @Bindable(defaultValue = "2") @Min(1) int subscribesPerSecond,
        @Bindable(defaultValue = "20") @Min(1) int subscribeBurst,
        @Bindable(defaultValue = "50") @Min(1) int rejectedBeforeClose,
        @Bindable(defaultValue = "25s") @NotNull Duration pingInterval,
        @Bindable(defaultValue = "70s") @NotNull Duration idleTimeout) {

    public LimitSettings {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }
}
