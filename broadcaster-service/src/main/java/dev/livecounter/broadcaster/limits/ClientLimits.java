package dev.livecounter.broadcaster.limits;

import dev.livecounter.broadcaster.config.LimitSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per client address: how many sockets it holds and how fast it opens new ones, each limit the fleet's
 * ({@link FleetShare}). The address is the peer's, or, behind a trusted proxy, the last entry of the configured
 * header, never anything else a client sends; an IPv6 address counts as its /64, which one subscriber usually holds
 * whole.
 */
@Singleton
public class ClientLimits {

    private final LimitSettings settings;
    private final FleetShare share;
    private final TrustedProxies trustedProxies;
    private final ConcurrentHashMap<String, Client> clients = new ConcurrentHashMap<>();

    ClientLimits(LimitSettings settings, FleetShare share) {
        this.settings = settings;
        this.share = share;
        this.trustedProxies = new TrustedProxies(settings.trustedProxies());
    }

    /**
     * One address's sockets and budgets; kept while it holds a socket, so there is one per page in the common case
     * of one page per address. Its subscribe budget is made at its first subscribe: most pages never subscribe.
     */
    private final class Client {
        final AtomicInteger sockets = new AtomicInteger();
        final TokenBucket connects = new TokenBucket(share.of(settings.connectsPerSecond()), share.of(settings.connectBurst()));
        @Nullable
        private TokenBucket subscribes;

        synchronized TokenBucket subscribes() {
            if (subscribes == null) {
                subscribes = new TokenBucket(share.of(settings.subscribesPerSecond()), share.of(settings.subscribeBurst()));
            }
            return subscribes;
        }

        synchronized boolean subscribesFull() {
            return subscribes == null || subscribes.isFull();
        }
    }

    /** The client's address as far as this server can trust it. */
    public String address(HttpRequest<?> request) {
        InetSocketAddress peer = request.getRemoteAddress();
        if (throughTrustedProxy(request)) {
            String value = request.getHeaders().get(settings.clientIpHeader());
            if (value != null && !value.isBlank()) {
                String[] hops = value.split(",");
                return AddressKeys.limitedAs(hops[hops.length - 1].strip());
            }
        }
        return peer.getAddress() == null ? peer.getHostString() : AddressKeys.limitedAs(peer.getAddress());
    }

    /** Whether the request came through the configured proxy, so that its forwarding headers may be believed. */
    public boolean throughTrustedProxy(HttpRequest<?> request) {
        String header = settings.clientIpHeader();
        if (header == null || header.isBlank()) {
            return false;
        }
        InetSocketAddress peer = request.getRemoteAddress();
        return trustedProxies.any() || (peer.getAddress() != null && trustedProxies.contains(peer.getAddress()));
    }

    /** Why a new socket from this address is refused right now, or null when it may open one. */
    @Nullable
    public String refuseConnect(String address) {
        Client client = clients.computeIfAbsent(address, a -> new Client());
        if (client.sockets.get() >= share.ofCount(settings.socketsPerIp())) {
            return "too many open sockets from " + address + " (at most " + settings.socketsPerIp() + " over "
                    + share.replicas() + " replicas)";
        }
        if (!client.connects.tryTake(share.of(settings.connectsPerSecond()), share.of(settings.connectBurst()))) {
            return "too many new sockets from " + address + " (at most " + settings.connectsPerSecond() + "/s over "
                    + share.replicas() + " replicas)";
        }
        return null;
    }

    /** Takes a table subscribe from the address's budget (the fleet's); false when it subscribes faster than allowed. */
    public boolean trySubscribe(String address) {
        Client client = clients.computeIfAbsent(address, a -> new Client());
        return client.subscribes().tryTake(share.of(settings.subscribesPerSecond()), share.of(settings.subscribeBurst()));
    }

    public void opened(String address) {
        clients.computeIfAbsent(address, a -> new Client()).sockets.incrementAndGet();
    }

    public void closed(String address) {
        Client client = clients.get(address);
        if (client != null) {
            client.sockets.decrementAndGet();
        }
    }

    /** Forgets addresses that hold no socket and whose connect budget is whole again: memory stays bounded. */
    @Scheduled(fixedDelay = "30s")
    void forgetIdleClients() {
        clients.entrySet().removeIf(e -> e.getValue().sockets.get() <= 0 && e.getValue().connects.isFull()
                && e.getValue().subscribesFull());
    }
}
