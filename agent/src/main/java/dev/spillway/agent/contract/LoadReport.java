package dev.spillway.agent.contract;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The agent's {@link HostLoad} packed as values only, for the manager's poll: the MXBean attribute
 * {@value #ATTRIBUTE} ({@code byte[]}) beside {@code HostLoad}. A {@code HostLoad} crosses JMX as a
 * {@code CompositeData} that carries its whole type (item names, descriptions, open types) and a {@code TreeMap}
 * in every answer; unpacking that was most of the manager's CPU per poll at a thousand hosts. This layout is read
 * with a few buffer reads, and exactly: NaN, -1 and empty lists come back as they went.
 *
 * <p>Layout (big-endian): one byte {@link #FORMAT}, then every field in the order of {@link #encode}. A string is an
 * int length of its UTF-8 bytes ({@code -1} for null) and the bytes; a list is an int count and its entries; a
 * boolean is one byte, 0 or 1. A later agent may append fields at the end under the same format number (a reader
 * ignores what follows the fields it knows); any other change of layout takes a new format number, which an older
 * reader refuses with {@link UnknownFormatException}, so the manager falls back to {@code HostLoad}.
 */
public final class LoadReport {
    /** The attribute name on {@code dev.spillway:type=Agent}. */
    public static final String ATTRIBUTE = "LoadReport";

    /** The layout this class writes and reads. */
    public static final byte FORMAT = 1;

    private LoadReport() {
    }

    /** Thrown for a report in a layout this reader does not know (a newer agent's): read {@code HostLoad} instead. */
    public static final class UnknownFormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnknownFormatException(int format) {
            super("LoadReport format " + format + " is not one this reader knows (expected " + FORMAT + ")");
        }
    }

    /** Packs every field of {@code load}. */
    public static byte[] encode(HostLoad load) {
        Writer w = new Writer();
        w.out.put(FORMAT);
        w.string(load.getHostId());
        w.string(load.getZone());
        w.string(load.getWebBaseUrl());
        w.string(load.getDirectiveMode());
        w.string(load.getResourceScope());
        w.longValue(load.getTimestampMillis());
        w.doubleValue(load.getSystemCpu());
        w.doubleValue(load.getProcessCpu());
        w.doubleValue(load.getSystemMemory());
        w.longValue(load.getHeapUsedBytes());
        w.longValue(load.getHeapMaxBytes());
        w.doubleValue(load.getQueueLength());
        w.longValue(load.getQueueLengthMax());
        w.doubleValue(load.getQueueDelayMillis());
        w.doubleValue(load.getQueueDelayMaxMillis());
        w.longValue(load.getInFlight());
        w.doubleValue(load.getRequestRate());
        w.doubleValue(load.getErrorRate());
        w.longValue(load.getActiveSessions());
        w.longValue(load.getSessionCapacity());
        w.bool(load.isHealthUp());
        w.intValue(load.getHealthStatus());
        w.doubleValue(load.getHealthResponseMillis());
        w.doubleValue(load.getHealthBaselineMillis());
        w.bool(load.isAppHealthUp());
        w.intValue(load.getAppHealthStatus());
        w.doubleValue(load.getAppHealthResponseMillis());
        w.intValue(load.getFilters());
        w.doubleValue(load.getWaitingRequests());
        w.longValue(load.getBusyWorkers());
        w.longValue(load.getMaxWorkers());
        w.doubleValue(load.getServiceTimeMillis());
        w.doubleValue(load.getMovedRate());
        w.doubleValue(load.getOverBudgetRate());
        w.strings(load.getMovedToPeers());
        w.doubles(load.getMovedToRates());
        w.strings(load.getDeclineReasons());
        w.doubles(load.getDeclineRates());
        w.strings(load.getClientNetworks());
        w.doubles(load.getClientRttMillis());
        w.doubleValue(load.getRuntimeCpu()); // appended after the first layout: older readers stop before it
        w.doubleValue(load.getMovedInRate()); // appended after runtimeCpu
        return Arrays.copyOf(w.out.array(), w.out.position());
    }

    /**
     * Unpacks a report written by {@link #encode} (or by a later agent of the same format).
     *
     * @throws UnknownFormatException for another format
     * @throws IllegalArgumentException for a report that is cut short or malformed (the message says where)
     */
    public static HostLoad decode(byte[] report) {
        if (report == null || report.length == 0) {
            throw new IllegalArgumentException("LoadReport is empty");
        }
        if (report[0] != FORMAT) {
            throw new UnknownFormatException(report[0]);
        }
        Reader r = new Reader(ByteBuffer.wrap(report, 1, report.length - 1));
        try {
            String hostId = r.string("hostId");
            if (hostId == null || hostId.isBlank()) {
                throw new IllegalArgumentException("LoadReport has no hostId");
            }
            HostLoad.Builder b = HostLoad.builder(hostId)
                    .zone(r.string("zone"))
                    .webBaseUrl(r.string("webBaseUrl"))
                    .directiveMode(r.string("directiveMode"))
                    .resourceScope(r.string("resourceScope"))
                    .timestampMillis(r.in.getLong())
                    .systemCpu(r.in.getDouble())
                    .processCpu(r.in.getDouble())
                    .systemMemory(r.in.getDouble())
                    .heapUsedBytes(r.in.getLong())
                    .heapMaxBytes(r.in.getLong())
                    .queueLength(r.in.getDouble())
                    .queueLengthMax(r.in.getLong())
                    .queueDelayMillis(r.in.getDouble())
                    .queueDelayMaxMillis(r.in.getDouble())
                    .inFlight(r.in.getLong())
                    .requestRate(r.in.getDouble())
                    .errorRate(r.in.getDouble())
                    .activeSessions(r.in.getLong())
                    .sessionCapacity(r.in.getLong())
                    .healthUp(r.bool("healthUp"))
                    .healthStatus(r.in.getInt())
                    .healthResponseMillis(r.in.getDouble())
                    .healthBaselineMillis(r.in.getDouble())
                    .appHealthUp(r.bool("appHealthUp"))
                    .appHealthStatus(r.in.getInt())
                    .appHealthResponseMillis(r.in.getDouble())
                    .filters(r.in.getInt())
                    .waitingRequests(r.in.getDouble())
                    .busyWorkers(r.in.getLong())
                    .maxWorkers(r.in.getLong())
                    .serviceTimeMillis(r.in.getDouble())
                    .movedRate(r.in.getDouble())
                    .overBudgetRate(r.in.getDouble())
                    .movedToPeers(r.strings("movedToPeers"))
                    .movedToRates(r.doubles("movedToRates"))
                    .declineReasons(r.strings("declineReasons"))
                    .declineRates(r.doubles("declineRates"))
                    .clientNetworks(r.strings("clientNetworks"))
                    .clientRttMillis(r.doubles("clientRttMillis"));
            // appended fields: an agent older than them ends its report here (a part of one is cut short)
            if (r.in.hasRemaining()) {
                b.runtimeCpu(r.in.getDouble());
            }
            if (r.in.hasRemaining()) {
                b.movedInRate(r.in.getDouble());
            }
            return b.build();
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("LoadReport is cut short (" + report.length + " bytes)");
        }
    }

    /** A growing buffer: a report is a few hundred bytes, more with many client networks. */
    private static final class Writer {
        ByteBuffer out = ByteBuffer.allocate(512);

        private void room(int bytes) {
            if (out.remaining() < bytes) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + bytes));
                out.flip();
                bigger.put(out);
                out = bigger;
            }
        }

        void string(String s) {
            if (s == null) {
                intValue(-1);
                return;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            intValue(utf8.length);
            room(utf8.length);
            out.put(utf8);
        }

        void strings(String[] values) {
            intValue(values.length);
            for (String s : values) {
                string(s);
            }
        }

        void doubles(double[] values) {
            intValue(values.length);
            for (double d : values) {
                doubleValue(d);
            }
        }

        void intValue(int v) {
            room(4);
            out.putInt(v);
        }

        void longValue(long v) {
            room(8);
            out.putLong(v);
        }

        void doubleValue(double v) {
            room(8);
            out.putDouble(v);
        }

        void bool(boolean v) {
            room(1);
            out.put((byte) (v ? 1 : 0));
        }
    }

    /** Reads with every length checked against what is left, so a hostile report cannot make us allocate much. */
    private static final class Reader {
        final ByteBuffer in;

        Reader(ByteBuffer in) {
            this.in = in;
        }

        String string(String field) {
            int length = in.getInt();
            if (length == -1) {
                return null;
            }
            if (length < 0 || length > in.remaining()) {
                throw new IllegalArgumentException("LoadReport " + field + ": a string of " + length
                        + " bytes where " + in.remaining() + " are left");
            }
            String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
            in.position(in.position() + length);
            return s;
        }

        String[] strings(String field) {
            String[] out = new String[count(field, 4)];
            for (int i = 0; i < out.length; i++) {
                out[i] = string(field);
            }
            return out;
        }

        double[] doubles(String field) {
            double[] out = new double[count(field, 8)];
            for (int i = 0; i < out.length; i++) {
                out[i] = in.getDouble();
            }
            return out;
        }

        private int count(String field, int leastBytesEach) {
            int n = in.getInt();
            if (n < 0 || n > in.remaining() / leastBytesEach) {
                throw new IllegalArgumentException("LoadReport " + field + ": a list of " + n + " entries where "
                        + in.remaining() + " bytes are left");
            }
            return n;
        }

        boolean bool(String field) {
            byte b = in.get();
            if (b != 0 && b != 1) {
                throw new IllegalArgumentException("LoadReport " + field + ": boolean byte " + b
                        + ", expected 0 or 1");
            }
            return b == 1;
        }
    }
}
