package dev.spillway.agent.jmx;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS for a JMX connector: the server's key store, optionally a trust store and client authentication. */
public record TlsSettings(boolean enabled, Path keystore, char[] keystorePassword, Path truststore,
                          char[] truststorePassword, boolean needClientAuth) {

    public static final TlsSettings OFF = new TlsSettings(false, null, null, null, null, false);

    static TlsSettings from(ConfigValues c, String prefix) {
        if (!c.bool(prefix + "tls", false)) {
            return OFF;
        }
        Path ks = Path.of(c.requiredString(prefix + "tls.keystore", "a PKCS12 or JKS key store file when "
                + prefix + "tls=true"));
        if (!Files.isReadable(ks)) {
            throw new ConfigException(prefix + "tls.keystore", ks.toString(), "a readable key store file");
        }
        Path ts = c.has(prefix + "tls.truststore") ? Path.of(c.string(prefix + "tls.truststore", "")) : null;
        if (ts != null && !Files.isReadable(ts)) {
            throw new ConfigException(prefix + "tls.truststore", ts.toString(), "a readable trust store file");
        }
        boolean clientAuth = c.bool(prefix + "tls.need-client-auth", false);
        if (clientAuth && ts == null) {
            throw new ConfigException(prefix + "tls.truststore", null, "a trust store when "
                    + prefix + "tls.need-client-auth=true");
        }
        return new TlsSettings(true, ks, Secrets.read(c, prefix + "tls.keystore-password", "").toCharArray(), ts,
                Secrets.read(c, prefix + "tls.truststore-password", "").toCharArray(), clientAuth);
    }

    SSLContext sslContext() throws IOException {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keystore, keystorePassword), keystorePassword);
            TrustManagerFactory tmf = null;
            if (truststore != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(truststore, truststorePassword));
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS from " + keystore + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(in, password);
            return ks;
        }
    }
}
