package dev.spillway.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import org.junit.jupiter.api.Test;

class FilterConfigReaderTest {

    @Test
    void locationsNameSystemProperties() {
        System.setProperty("spillway.test.dir", "/etc/spillway");
        try {
            assertEquals("/etc/spillway/shop.properties", FilterConfigReader.expand("${spillway.test.dir}/shop.properties"));
            assertEquals("classpath:x", FilterConfigReader.expand("classpath:x"));
        } finally {
            System.clearProperty("spillway.test.dir");
        }
    }

    @Test
    void anUnsetReferenceIsAnErrorNamingIt() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> FilterConfigReader.expand("${spillway.not.set}/x"));
        assertEquals("config", e.key());
        assertTrue(e.getMessage().contains("-Dspillway.not.set="), e.getMessage());
        assertThrows(ConfigException.class, () -> FilterConfigReader.expand("${unclosed"));
    }
}
