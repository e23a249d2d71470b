package dev.livecounter.broadcaster.limits;

import dev.livecounter.common.security.InternalSettings;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a client address is counted as, and the key it is stored under. Limits count an IPv4 address as itself
 * and an IPv6 address as its /64 (one subscriber usually holds a whole /64, so counting single IPv6 addresses
 * would give one person millions of budgets). The budgets kept in the database for the whole fleet (new counters
 * per address) are stored under a keyed hash of that, never the address: the key is the install's internal secret,
 * the same on every replica, so the same address gets the same key everywhere and nobody can list addresses from
 * the table.
 */
@Singleton
public final class AddressKeys {

    private final byte[] key;

    AddressKeys(InternalSettings internal) {
        // without a secret (a laptop) a fixed key: the hash still keeps addresses out of the table
        this.key = (internal.hasSecret() ? internal.secret() : "live-counter").getBytes(StandardCharsets.UTF_8);
    }

    /** The key a limited address (as {@link ClientLimits#address} gives it) is stored under: 22 URL-safe characters. */
    public String of(String address) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            // a message of its own kind: nothing else signed with the secret (internal calls) can collide with it
            byte[] digest = mac.doFinal(("live-counter-address\n" + address).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** An address as limits count it: IPv4 as it is, IPv6 as its /64; anything else (a hostname) as it is. */
    static String limitedAs(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            // an IPv6 literal: parsed, never looked up
            return limitedAs(InetAddress.getByName(address.startsWith("[") ? address : "[" + address + "]"));
        } catch (UnknownHostException | SecurityException notAnAddress) {
            return address;
        }
    }

    static String limitedAs(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return address.getHostAddress();
        }
        Arrays.fill(bytes, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
