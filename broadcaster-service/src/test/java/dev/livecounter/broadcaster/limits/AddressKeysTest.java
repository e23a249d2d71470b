package dev.livecounter.broadcaster.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.security.InternalSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressKeysTest {

    @Test
    void anIpv6AddressCountsAsItsSlash64() {
        assertEquals("2001:db8:1:2:0:0:0:0/64", AddressKeys.limitedAs("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals(AddressKeys.limitedAs("2001:db8:1:2::1"), AddressKeys.limitedAs("[2001:db8:1:2::ffff]"));
        assertNotEquals(AddressKeys.limitedAs("2001:db8:1:2::1"), AddressKeys.limitedAs("2001:db8:1:3::1"));
        assertEquals("10.1.2.3", AddressKeys.limitedAs("10.1.2.3"));
        assertEquals("not:an address", AddressKeys.limitedAs("not:an address"), "what is not an address is left alone");
    }

    private static InternalSettings secret(String secret) {
        return new InternalSettings(secret, List.of(), Duration.ofSeconds(30), 10, false, false);
    }

    @Test
    void theStoredKeyIsTheSameOnEveryReplicaAndNotTheAddress() {
        AddressKeys one = new AddressKeys(secret("s3cret"));
        AddressKeys other = new AddressKeys(secret("s3cret"));
        String key = one.of("10.1.2.3");
        assertEquals(key, other.of("10.1.2.3"));
        assertTrue(key.matches("[A-Za-z0-9_-]{22}"), key);
        assertNotEquals(key, new AddressKeys(secret("other")).of("10.1.2.3"),
                "keyed by the install's secret");
    }
}
