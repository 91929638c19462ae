package dev.spillway.agent.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.testkit.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.rmi.Remote;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on registry and connector. The client runs in a child JVM: the JDK's SSL client factories read the trust store
 * from system properties once per JVM, which a test must not change under the other tests.
 */
class TlsJmxServerTest {
    @TempDir
    Path dir;

    private static String bin(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), cmd + ": " + out);
        return out;
    }

    /** A key store with a certificate for 127.0.0.1/localhost, and a trust store holding that certificate. */
    private Path[] keyAndTrustStores() throws Exception {
        Path ks = dir.resolve("server.p12");
        Path cert = dir.resolve("server.cer");
        Path ts = dir.resolve("trust.p12");
        run(List.of(bin("keytool"), "-genkeypair", "-alias", "jmx", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost",
                // recent JDKs (25 here) check the server's name against the certificate (endpoint identification)
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                ks.toString(), "-storepass", "secret", "-keypass", "secret"));
        run(List.of(bin("keytool"), "-exportcert", "-alias", "jmx", "-keystore", ks.toString(), "-storepass",
                "secret", "-file", cert.toString()));
        run(List.of(bin("keytool"), "-importcert", "-noprompt", "-alias", "jmx", "-file", cert.toString(),
                "-storetype", "PKCS12", "-keystore", ts.toString(), "-storepass", "secret"));
        return new Path[] {ks, ts};
    }

    private static List<String> tlsClient(Path ts, String url, String user, String password) {
        return new ArrayList<>(List.of(bin("java"), "-Djavax.net.ssl.trustStore=" + ts,
                "-Djavax.net.ssl.trustStorePassword=secret", "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-cp", System.getProperty("java.class.path"), TlsClientMain.class.getName(), url, user, password));
    }

    /**
     * A TLS registry that hands out a connector stub without TLS (what a swapped stub would do to collect the
     * password in clear): Spillway's TLS client refuses it (jmx.remote.x.check.stub) and sends nothing there.
     */
    @Test
    void aTlsClientRefusesAStubWithoutTls() throws Exception {
        Path[] stores = keyAndTrustStores();
        MBeanServer plainMbs = MBeanServerFactory.newMBeanServer();
        SecureJmxServerTest.Counter counter = new SecureJmxServerTest.Counter();
        counter.value = 666;
        plainMbs.registerMBean(counter, new ObjectName("dev.spillway:type=Test"));
        TlsSettings tls = new TlsSettings(true, stores[0], "secret".toCharArray(), null, null, false);
        int roguePort = Ports.free();
        Registry rogue = null;
        try (SecureJmxServer plain = SecureJmxServer.start(JmxServerSettings.loopback(0), plainMbs)) {
            Remote plainStub = LocateRegistry.getRegistry("127.0.0.1", plain.port()).lookup("jmxrmi");
            rogue = LocateRegistry.createRegistry(roguePort, new SslRMIClientSocketFactory(),
                    new BoundServerSocketFactory(java.net.InetAddress.getLoopbackAddress(), tls.sslContext(), false));
            rogue.bind("jmxrmi", plainStub); // a local bind, as whoever owned the registry could
            String url = "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + roguePort + "/jmxrmi";
            Process p = new ProcessBuilder(tlsClient(stores[1], url, "operator", "oppw")).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "client timed out");
            assertTrue(p.exitValue() != 0 && !out.contains("VALUE 666"), "the client used a plain stub: " + out);
        } finally {
            if (rogue != null) {
                UnicastRemoteObject.unexportObject(rogue, true);
            }
        }
    }

    @Test
    void tlsClientWithTheCertificateReadsAndAPlainClientIsRefused() throws Exception {
        Path[] stores = keyAndTrustStores();
        Path ks = stores[0];
        Path ts = stores[1];
        Path pw = dir.resolve("jmx.password");
        Files.writeString(pw, "operator oppw\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path access = dir.resolve("jmx.access");
        Files.writeString(access, "operator control\n");

        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        SecureJmxServerTest.Counter counter = new SecureJmxServerTest.Counter();
        counter.value = 41;
        mbs.registerMBean(counter, new ObjectName("dev.spillway:type=Test"));
        TlsSettings tls = new TlsSettings(true, ks, "secret".toCharArray(), null, null, false);
        for (boolean registryReadOnly : new boolean[] {false, true}) { // the manager's connector, the agent's
            try (SecureJmxServer server = SecureJmxServer.start(JmxServerSettings.loopback(0)
                    .withPasswordFiles(pw, access).withTls(tls), mbs, registryReadOnly)) {
                String url = server.serviceUrl().toString();
                assertTrue(run(tlsClient(ts, url, "operator", "oppw")).contains("VALUE 41"));

                // a client that does not speak TLS gets nothing, not even the registry
                assertThrows(IOException.class,
                        () -> JmxClients.connect(url, "operator", "oppw", false, Duration.ofSeconds(5)).close());
            }
        }
    }
}
