package dev.spillway.agent.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compact load attribute: every field of {@link HostLoad} survives the round trip, and bad input is refused. */
class LoadReportTest {

    @Test
    void everyFieldOfHostLoadSurvivesTheRoundTrip() throws Exception {
        // Each builder setter gets a value of its own, so a field the codec dropped or swapped would show; a field
        // added to HostLoad later gets one too, and fails here until LoadReport carries it.
        HostLoad.Builder b = HostLoad.builder("web-1");
        int i = 0;
        List<String> set = new ArrayList<>();
        for (Method m : HostLoad.Builder.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || m.getParameterCount() != 1) {
                continue;
            }
            i++;
            Class<?> t = m.getParameterTypes()[0];
            Object v;
            if (t == double.class) {
                v = 0.25 + i;
            } else if (t == long.class) {
                v = 1_000_000_007L * i;
            } else if (t == int.class) {
                v = 100 + i;
            } else if (t == boolean.class) {
                v = false; // the builder starts health as up
            } else if (t == String.class) {
                v = m.getName().equals("directiveMode") ? "PROXY" : m.getName() + "-" + i;
            } else if (t == String[].class) {
                v = new String[] {m.getName() + "-a", m.getName() + "-b", "10.0." + i + ".0/24"};
            } else if (t == double[].class) {
                v = new double[] {i + 0.5, i + 1.5, i * 3.0};
            } else {
                fail("HostLoad.Builder." + m.getName() + " takes a " + t + " this test does not know");
                return;
            }
            m.invoke(b, v);
            set.add(m.getName());
        }
        assertEquals(fieldCount() - 1, set.size(), "every field but the host id has a setter, given a value: " + set);
        HostLoad original = b.build();

        HostLoad copy = LoadReport.decode(LoadReport.encode(original));

        assertSameFigures(original, copy);
    }

    @Test
    void unknownFiguresEmptyListsAndOddValuesComeBackExactly() {
        HostLoad unknown = HostLoad.builder("only-an-id").build(); // every figure unknown, every list empty
        assertSameFigures(unknown, LoadReport.decode(LoadReport.encode(unknown)));
        assertTrue(Double.isNaN(LoadReport.decode(LoadReport.encode(unknown)).getSystemCpu()));
        assertEquals(-1, LoadReport.decode(LoadReport.encode(unknown)).getBusyWorkers());

        HostLoad odd = HostLoad.builder("Zürich-東京-1").zone("").webBaseUrl("http://[::1]:8080/shop?x=é")
                .resourceScope("cpu=cgroup-v1 memory=machine").directiveMode("MIXED")
                .systemCpu(Double.NaN).processCpu(-0.0).systemMemory(Double.MIN_VALUE)
                .queueLength(Double.POSITIVE_INFINITY).queueDelayMillis(Double.NEGATIVE_INFINITY)
                .heapUsedBytes(Long.MAX_VALUE).heapMaxBytes(Long.MIN_VALUE).healthStatus(Integer.MIN_VALUE)
                .timestampMillis(-1).filters(0).healthUp(false).appHealthUp(true)
                .movedToPeers(new String[] {"b", null, ""}).movedToRates(new double[] {Double.NaN})
                .declineReasons(new String[0]).declineRates(new double[] {1, 2})
                .clientNetworks(new String[] {"203.0.113.0/24", "2001:db8:1::/48"})
                .clientRttMillis(new double[] {0.05, Double.NaN})
                .build();
        HostLoad copy = LoadReport.decode(LoadReport.encode(odd));
        assertSameFigures(odd, copy);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(copy.getProcessCpu()));
        assertArrayEquals(new String[] {"b", null, ""}, copy.getMovedToPeers());
        assertArrayEquals(new String[] {"203.0.113.0/24", "2001:db8:1::/48"}, copy.getClientNetworks());
    }

    @Test
    void manyClientNetworksFit() {
        String[] nets = new String[4096];
        double[] rtts = new double[nets.length];
        for (int n = 0; n < nets.length; n++) {
            nets[n] = "10." + (n / 256) + "." + (n % 256) + ".0/24";
            rtts[n] = n / 7.0;
        }
        HostLoad many = HostLoad.builder("h").clientNetworks(nets).clientRttMillis(rtts).build();
        assertSameFigures(many, LoadReport.decode(LoadReport.encode(many)));
    }

    @Test
    void aReportIsFarSmallerThanTheCompositeDataItReplaces() {
        byte[] report = LoadReport.encode(HostLoad.builder("web-1").zone("z1").webBaseUrl("http://10.0.0.1:8080/")
                .build());
        assertTrue(report.length < 400, "values only: " + report.length + " bytes");
        assertEquals(LoadReport.FORMAT, report[0], "the first byte names the layout");
    }

    @Test
    void fieldsALaterAgentAppendsAreIgnored() {
        HostLoad load = HostLoad.builder("h").requestRate(42).clientNetworks(new String[] {"10.0.0.0/24"})
                .clientRttMillis(new double[] {3}).build();
        byte[] report = LoadReport.encode(load);
        byte[] longer = Arrays.copyOf(report, report.length + 12);
        longer[report.length] = 7;
        assertSameFigures(load, LoadReport.decode(longer));
    }

    @Test
    void aReportFromAnAgentOlderThanTheRuntimeCpuReadsItAsUnknown() {
        HostLoad load = HostLoad.builder("h").systemCpu(0.9).runtimeCpu(0.6).build();
        byte[] report = LoadReport.encode(load);
        // the report ends before runtimeCpu (and movedInRate, appended after it)
        HostLoad older = LoadReport.decode(Arrays.copyOf(report, report.length - 2 * Double.BYTES));
        assertTrue(Double.isNaN(older.getRuntimeCpu()), "unknown, never 0: " + older.getRuntimeCpu());
        assertEquals(0.9, older.getSystemCpu());
        assertEquals(0.6, LoadReport.decode(report).getRuntimeCpu());
    }

    @Test
    void aReportFromAnAgentOlderThanTheMovedInRateReadsItAsUnknown() {
        HostLoad load = HostLoad.builder("h").requestRate(100).runtimeCpu(0.1).movedInRate(80).build();
        byte[] report = LoadReport.encode(load);
        HostLoad older = LoadReport.decode(Arrays.copyOf(report, report.length - Double.BYTES));
        assertTrue(Double.isNaN(older.getMovedInRate()), "unknown, never 0: " + older.getMovedInRate());
        assertEquals(0.1, older.getRuntimeCpu());
        assertEquals(80, LoadReport.decode(report).getMovedInRate());
    }

    @Test
    void anotherFormatIsRefusedAsUnknownSoTheReaderCanFallBack() {
        byte[] report = LoadReport.encode(HostLoad.builder("h").build());
        report[0] = 2;
        LoadReport.UnknownFormatException e = assertThrows(LoadReport.UnknownFormatException.class,
                () -> LoadReport.decode(report));
        assertTrue(e.getMessage().contains("format 2") && e.getMessage().contains("expected 1"), e.getMessage());
    }

    @Test
    void aReportCutShortAnywhereIsRefusedWithAClearError() {
        byte[] report = LoadReport.encode(HostLoad.builder("web-1").zone("z").movedToPeers(new String[] {"b"})
                .movedToRates(new double[] {4}).clientNetworks(new String[] {"10.0.0.0/24"})
                .clientRttMillis(new double[] {1}).build());
        // runtimeCpu was appended to the first layout, then movedInRate: older agents' reports end before each
        List<Integer> olderAgentsEnds = List.of(report.length - 2 * Double.BYTES, report.length - Double.BYTES);
        for (int cut = 0; cut < report.length; cut++) {
            if (olderAgentsEnds.contains(cut)) {
                continue;
            }
            byte[] shorter = Arrays.copyOf(report, cut);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LoadReport.decode(shorter), "cut at " + cut);
            assertTrue(e.getMessage().startsWith("LoadReport"), e.getMessage());
            assertNotEquals(LoadReport.UnknownFormatException.class, e.getClass(), "cut at " + cut);
        }
        assertThrows(IllegalArgumentException.class, () -> LoadReport.decode(null));
    }

    @Test
    void hostileLengthsAreRefusedBeforeAnythingIsAllocated() {
        byte[] report = LoadReport.encode(HostLoad.builder("h").build());
        // the host id's length says 2 GB
        byte[] hugeString = report.clone();
        hugeString[1] = 0x7f;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadReport.decode(hugeString));
        assertTrue(e.getMessage().contains("hostId") && e.getMessage().contains("2130706433"), e.getMessage());
        // the last list (client round-trip times) says two billion entries
        byte[] hugeList = report.clone();
        int countAt = report.length - 2 * Double.BYTES - 4; // before runtimeCpu and movedInRate
        hugeList[countAt] = 0x7f;
        e = assertThrows(IllegalArgumentException.class, () -> LoadReport.decode(hugeList));
        assertTrue(e.getMessage().contains("clientRttMillis") && e.getMessage().contains("entries"), e.getMessage());
        // a negative count
        byte[] negative = report.clone();
        negative[countAt] = (byte) 0xff;
        e = assertThrows(IllegalArgumentException.class, () -> LoadReport.decode(negative));
        assertTrue(e.getMessage().contains("clientRttMillis"), e.getMessage());
    }

    @Test
    void aBooleanOtherThanZeroOrOneAndAMissingHostIdAreRefused() {
        byte[] report = LoadReport.encode(HostLoad.builder("h").build());
        byte[] noId = report.clone();
        noId[1] = (byte) 0xff;
        noId[2] = (byte) 0xff;
        noId[3] = (byte) 0xff;
        noId[4] = (byte) 0xff; // length -1: null
        assertThrows(IllegalArgumentException.class, () -> LoadReport.decode(noId));

        HostLoad up = HostLoad.builder("h").healthUp(true).build();
        HostLoad down = HostLoad.builder("h").healthUp(false).build();
        byte[] a = LoadReport.encode(up);
        byte[] c = LoadReport.encode(down);
        int at = firstDifference(a, c);
        a[at] = 2;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadReport.decode(a));
        assertTrue(e.getMessage().contains("healthUp") && e.getMessage().contains("0 or 1"), e.getMessage());
    }

    @Test
    void theAgentMXBeanServesTheReportOfItsHostLoad() {
        HostLoad load = HostLoad.builder("h").requestRate(12).build();
        AgentMXBean agent = (AgentMXBean) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AgentMXBean.class}, (proxy, method, args) -> {
                    if (method.isDefault()) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    return method.getName().equals("getHostLoad") ? load : null;
                });
        assertSameFigures(load, LoadReport.decode(agent.getLoadReport()));
    }

    private static int firstDifference(byte[] a, byte[] b) {
        for (int k = 0; k < a.length; k++) {
            if (a[k] != b[k]) {
                return k;
            }
        }
        throw new AssertionError("no difference");
    }

    /** Every public no-argument getter of HostLoad gives the same value (NaN equal to NaN; arrays by content). */
    static void assertSameFigures(HostLoad expected, HostLoad actual) {
        int compared = 0;
        for (Method g : HostLoad.class.getMethods()) {
            boolean getter = g.getName().startsWith("get") || g.getName().startsWith("is");
            if (!getter || g.getParameterCount() != 0 || g.getDeclaringClass() != HostLoad.class
                    || Modifier.isStatic(g.getModifiers())) {
                continue;
            }
            try {
                Object e = g.invoke(expected);
                Object a = g.invoke(actual);
                String what = g.getName();
                if (e instanceof double[] d) {
                    double[] ad = (double[]) a;
                    assertEquals(d.length, ad.length, what);
                    for (int k = 0; k < d.length; k++) {
                        assertEquals(Double.doubleToLongBits(d[k]), Double.doubleToLongBits(ad[k]), what + "[" + k + "]");
                    }
                } else if (e instanceof Object[] arr) {
                    assertArrayEquals(arr, (Object[]) a, what);
                } else if (e instanceof Double d) {
                    assertEquals(Double.doubleToLongBits(d), Double.doubleToLongBits((Double) a), what);
                } else {
                    assertEquals(e, a, what);
                }
                compared++;
            } catch (ReflectiveOperationException ex) {
                throw new AssertionError(ex);
            }
        }
        assertEquals(fieldCount(), compared, "one getter per field, every one compared");
    }

    private static int fieldCount() {
        return (int) Arrays.stream(HostLoad.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers())).count();
    }
}
