package dev.spillway.agent.contract;

import javax.management.openmbean.CompositeData;

/**
 * One host's load at one moment, as the agent reports it and the manager polls it. Crosses JMX as
 * {@code CompositeData} (MXBean mapping by getters; {@link #from(CompositeData)} rebuilds it on the manager side).
 *
 * <p>Unknown is never 0: a fraction or time the platform cannot give is {@code NaN}, a count is {@code -1}, a
 * status is {@code -1}. Consumers must treat those as "no information", not as "idle".
 */
public final class HostLoad {
    public static final double UNKNOWN = Double.NaN;
    public static final long UNKNOWN_COUNT = -1;

    private final String hostId;
    private final String zone;
    private final String webBaseUrl;
    private final long timestampMillis;

    private final double systemCpu;
    private final double processCpu;
    private final double systemMemory;
    private final long heapUsedBytes;
    private final long heapMaxBytes;

    private final double queueLength;
    private final long queueLengthMax;
    private final double queueDelayMillis;
    private final double queueDelayMaxMillis;
    private final long inFlight;
    private final double requestRate;
    private final double errorRate;
    private final long activeSessions;
    private final long sessionCapacity;

    private final boolean healthUp;
    private final int healthStatus;
    private final double healthResponseMillis;
    private final double healthBaselineMillis;
    private final boolean appHealthUp;
    private final int appHealthStatus;
    private final double appHealthResponseMillis;

    private final String directiveMode;
    private final int filters;
    private final double waitingRequests;
    private final long busyWorkers;
    private final long maxWorkers;
    private final double serviceTimeMillis;
    private final double movedRate;
    private final double overBudgetRate;
    private final String[] movedToPeers;
    private final double[] movedToRates;
    private final String[] declineReasons;
    private final double[] declineRates;
    private final String resourceScope;
    private final String[] clientNetworks;
    private final double[] clientRttMillis;
    private final double runtimeCpu;
    private final double movedInRate;

    private HostLoad(Builder b) {
        hostId = b.hostId;
        zone = b.zone;
        webBaseUrl = b.webBaseUrl;
        timestampMillis = b.timestampMillis;
        systemCpu = b.systemCpu;
        processCpu = b.processCpu;
        systemMemory = b.systemMemory;
        heapUsedBytes = b.heapUsedBytes;
        heapMaxBytes = b.heapMaxBytes;
        queueLength = b.queueLength;
        queueLengthMax = b.queueLengthMax;
        queueDelayMillis = b.queueDelayMillis;
        queueDelayMaxMillis = b.queueDelayMaxMillis;
        inFlight = b.inFlight;
        requestRate = b.requestRate;
        errorRate = b.errorRate;
        activeSessions = b.activeSessions;
        sessionCapacity = b.sessionCapacity;
        healthUp = b.healthUp;
        healthStatus = b.healthStatus;
        healthResponseMillis = b.healthResponseMillis;
        healthBaselineMillis = b.healthBaselineMillis;
        appHealthUp = b.appHealthUp;
        appHealthStatus = b.appHealthStatus;
        appHealthResponseMillis = b.appHealthResponseMillis;
        directiveMode = b.directiveMode;
        filters = b.filters;
        waitingRequests = b.waitingRequests;
        busyWorkers = b.busyWorkers;
        maxWorkers = b.maxWorkers;
        serviceTimeMillis = b.serviceTimeMillis;
        movedRate = b.movedRate;
        overBudgetRate = b.overBudgetRate;
        movedToPeers = b.movedToPeers.clone();
        movedToRates = b.movedToRates.clone();
        declineReasons = b.declineReasons.clone();
        declineRates = b.declineRates.clone();
        resourceScope = b.resourceScope;
        clientNetworks = b.clientNetworks.clone();
        clientRttMillis = b.clientRttMillis.clone();
        runtimeCpu = b.runtimeCpu;
        movedInRate = b.movedInRate;
    }

    public static Builder builder(String hostId) {
        return new Builder(hostId);
    }

    /** Used by the MXBean framework to rebuild a snapshot read from a remote agent. */
    public static HostLoad from(CompositeData cd) {
        Builder b = new Builder((String) cd.get("hostId"));
        b.zone = (String) cd.get("zone");
        b.webBaseUrl = (String) cd.get("webBaseUrl");
        b.timestampMillis = (Long) cd.get("timestampMillis");
        b.systemCpu = (Double) cd.get("systemCpu");
        b.processCpu = (Double) cd.get("processCpu");
        b.systemMemory = (Double) cd.get("systemMemory");
        b.heapUsedBytes = (Long) cd.get("heapUsedBytes");
        b.heapMaxBytes = (Long) cd.get("heapMaxBytes");
        b.queueLength = (Double) cd.get("queueLength");
        b.queueLengthMax = (Long) cd.get("queueLengthMax");
        b.queueDelayMillis = (Double) cd.get("queueDelayMillis");
        b.queueDelayMaxMillis = (Double) cd.get("queueDelayMaxMillis");
        b.inFlight = (Long) cd.get("inFlight");
        b.requestRate = (Double) cd.get("requestRate");
        b.errorRate = (Double) cd.get("errorRate");
        b.activeSessions = (Long) cd.get("activeSessions");
        b.sessionCapacity = (Long) cd.get("sessionCapacity");
        b.healthUp = (Boolean) cd.get("healthUp");
        b.healthStatus = (Integer) cd.get("healthStatus");
        b.healthResponseMillis = (Double) cd.get("healthResponseMillis");
        b.healthBaselineMillis = (Double) cd.get("healthBaselineMillis");
        b.appHealthUp = (Boolean) cd.get("appHealthUp");
        b.appHealthStatus = (Integer) cd.get("appHealthStatus");
        b.appHealthResponseMillis = (Double) cd.get("appHealthResponseMillis");
        b.directiveMode = (String) cd.get("directiveMode");
        b.filters = (Integer) cd.get("filters");
        // figures added later: an older agent's snapshot lacks them, and they stay unknown
        if (cd.containsKey("waitingRequests")) {
            b.waitingRequests = (Double) cd.get("waitingRequests");
        }
        if (cd.containsKey("busyWorkers")) {
            b.busyWorkers = (Long) cd.get("busyWorkers");
        }
        if (cd.containsKey("maxWorkers")) {
            b.maxWorkers = (Long) cd.get("maxWorkers");
        }
        if (cd.containsKey("serviceTimeMillis")) {
            b.serviceTimeMillis = (Double) cd.get("serviceTimeMillis");
        }
        if (cd.containsKey("movedRate")) {
            b.movedRate = (Double) cd.get("movedRate");
        }
        if (cd.containsKey("overBudgetRate")) {
            b.overBudgetRate = (Double) cd.get("overBudgetRate");
        }
        if (cd.containsKey("movedToPeers")) {
            b.movedToPeers = (String[]) cd.get("movedToPeers");
        }
        if (cd.containsKey("movedToRates")) {
            b.movedToRates = (double[]) cd.get("movedToRates");
        }
        if (cd.containsKey("declineReasons")) {
            b.declineReasons = (String[]) cd.get("declineReasons");
        }
        if (cd.containsKey("declineRates")) {
            b.declineRates = (double[]) cd.get("declineRates");
        }
        // an agent older than this field sends none: its figures were the machine's
        b.resourceScope = cd.containsKey("resourceScope") ? (String) cd.get("resourceScope") : "machine";
        if (cd.containsKey("clientNetworks") && cd.containsKey("clientRttMillis")) {
            b.clientNetworks = (String[]) cd.get("clientNetworks");
            b.clientRttMillis = (double[]) cd.get("clientRttMillis");
        }
        if (cd.containsKey("runtimeCpu")) {
            b.runtimeCpu = (Double) cd.get("runtimeCpu");
        }
        if (cd.containsKey("movedInRate")) {
            b.movedInRate = (Double) cd.get("movedInRate");
        }
        return b.build();
    }

    public Builder toBuilder() {
        Builder b = new Builder(hostId);
        b.zone = zone;
        b.webBaseUrl = webBaseUrl;
        b.timestampMillis = timestampMillis;
        b.systemCpu = systemCpu;
        b.processCpu = processCpu;
        b.systemMemory = systemMemory;
        b.heapUsedBytes = heapUsedBytes;
        b.heapMaxBytes = heapMaxBytes;
        b.queueLength = queueLength;
        b.queueLengthMax = queueLengthMax;
        b.queueDelayMillis = queueDelayMillis;
        b.queueDelayMaxMillis = queueDelayMaxMillis;
        b.inFlight = inFlight;
        b.requestRate = requestRate;
        b.errorRate = errorRate;
        b.activeSessions = activeSessions;
        b.sessionCapacity = sessionCapacity;
        b.healthUp = healthUp;
        b.healthStatus = healthStatus;
        b.healthResponseMillis = healthResponseMillis;
        b.healthBaselineMillis = healthBaselineMillis;
        b.appHealthUp = appHealthUp;
        b.appHealthStatus = appHealthStatus;
        b.appHealthResponseMillis = appHealthResponseMillis;
        b.directiveMode = directiveMode;
        b.filters = filters;
        b.waitingRequests = waitingRequests;
        b.busyWorkers = busyWorkers;
        b.maxWorkers = maxWorkers;
        b.serviceTimeMillis = serviceTimeMillis;
        b.movedRate = movedRate;
        b.overBudgetRate = overBudgetRate;
        b.movedToPeers = movedToPeers;
        b.movedToRates = movedToRates;
        b.declineReasons = declineReasons;
        b.declineRates = declineRates;
        b.resourceScope = resourceScope;
        b.clientNetworks = clientNetworks;
        b.clientRttMillis = clientRttMillis;
        b.runtimeCpu = runtimeCpu;
        b.movedInRate = movedInRate;
        return b;
    }

    /** Host id, as configured on the agent; the same id names this host in filters' peer lists. */
    public String getHostId() { return hostId; }
    /** Zone (rack, data centre) used to prefer near targets; empty when not configured. */
    public String getZone() { return zone; }
    /** Where this host's webapp is reached, e.g. {@code http://10.0.0.2:8080/shop}. */
    public String getWebBaseUrl() { return webBaseUrl; }
    public long getTimestampMillis() { return timestampMillis; }
    /**
     * The host's CPU use, 0..1, NaN if unknown: its own cgroup's use against its CPU quota where it runs in one
     * with a quota, else the whole machine's (see {@link #getResourceScope()}).
     */
    public double getSystemCpu() { return systemCpu; }
    /** This JVM's CPU use, 0..1 of the whole machine, NaN if unknown. */
    public double getProcessCpu() { return processCpu; }
    /**
     * Used fraction of memory, 0..1, NaN if unknown: of the host's cgroup memory limit where it has one (inactive
     * page cache not counted), else of the machine's physical memory.
     */
    public double getSystemMemory() { return systemMemory; }
    public long getHeapUsedBytes() { return heapUsedBytes; }
    /** -1 when the heap has no defined maximum. */
    public long getHeapMaxBytes() { return heapMaxBytes; }
    /** Requests accepted but waiting for or holding a worker thread, smoothed; NaN if unknown. */
    public double getQueueLength() { return queueLength; }
    public long getQueueLengthMax() { return queueLengthMax; }
    /** Time from arrival at the connector to the filter, smoothed, ms; NaN if unknown. */
    public double getQueueDelayMillis() { return queueDelayMillis; }
    public double getQueueDelayMaxMillis() { return queueDelayMaxMillis; }
    public long getInFlight() { return inFlight; }
    /** Requests per second over the last interval; NaN if unknown. */
    public double getRequestRate() { return requestRate; }
    /** 5xx responses per second over the last interval; NaN if unknown. */
    public double getErrorRate() { return errorRate; }
    public long getActiveSessions() { return activeSessions; }
    public long getSessionCapacity() { return sessionCapacity; }
    public boolean isHealthUp() { return healthUp; }
    public int getHealthStatus() { return healthStatus; }
    public double getHealthResponseMillis() { return healthResponseMillis; }
    /** The unloaded response time: the lowest recent health response time, ms; NaN until measured. */
    public double getHealthBaselineMillis() { return healthBaselineMillis; }
    public boolean isAppHealthUp() { return appHealthUp; }
    public int getAppHealthStatus() { return appHealthStatus; }
    public double getAppHealthResponseMillis() { return appHealthResponseMillis; }
    /** What the host's filters do now: LOCAL, REDIRECT, PROXY, or MIXED when they differ. */
    public String getDirectiveMode() { return directiveMode; }
    /** How many filter MXBeans the agent read for this snapshot. */
    public int getFilters() { return filters; }
    /** Requests waiting for a worker thread now (the pools of all watched JVMs); NaN if unknown. */
    public double getWaitingRequests() { return waitingRequests; }
    /** Worker threads running a request now; -1 if unknown. */
    public long getBusyWorkers() { return busyWorkers; }
    /** The most worker threads the pools may run; -1 if unknown. */
    public long getMaxWorkers() { return maxWorkers; }
    /** Mean time a request served here held its worker over the last interval, ms; NaN if none finished. */
    public double getServiceTimeMillis() { return serviceTimeMillis; }
    /** Requests moved to peers per second over the last interval (fraction directives and spills); NaN if unknown. */
    public double getMovedRate() { return movedRate; }
    /** Requests per second that found the pool backed up under a permit but had no target budget left. */
    public double getOverBudgetRate() { return overBudgetRate; }
    /** Peer ids this host moved requests to over the last interval (with {@link #getMovedToRates()}). */
    public String[] getMovedToPeers() { return movedToPeers.clone(); }
    /** Requests per second moved to each of {@link #getMovedToPeers()}, in the same order. */
    public double[] getMovedToRates() { return movedToRates.clone(); }

    /**
     * Why the filters served chosen requests here instead of moving them (the filter MXBean's {@code Declined}
     * reasons), with {@link #getDeclineRates()} in requests/s over the last interval; only reasons that occurred.
     */
    public String[] getDeclineReasons() { return declineReasons.clone(); }

    public double[] getDeclineRates() { return declineRates.clone(); }
    /**
     * Where {@link #getSystemCpu()} and {@link #getSystemMemory()} were measured: {@code machine},
     * {@code cgroup-v1} or {@code cgroup-v2}, or both named when they differ ({@code cpu=cgroup-v1 memory=machine}).
     */
    public String getResourceScope() { return resourceScope; }

    /**
     * The client networks this host measured round-trip times to, most connections first (at most the agent's
     * {@code rtt.networks}): {@code a.b.c.0/24} for IPv4, {@code x:y:z::/48} (lower-case hex, no leading zeros) for
     * IPv6. Empty when nothing was measured (no kernel figure, no clients): unknown, never 0.
     */
    public String[] getClientNetworks() { return clientNetworks.clone(); }

    /** The kernel's smoothed round-trip time to each of {@link #getClientNetworks()}, in ms (same order). */
    public double[] getClientRttMillis() { return clientRttMillis.clone(); }

    /**
     * The part of {@link #getSystemCpu()} (same scale) that the watched JVMs' JIT compiler and garbage collectors
     * took over the last interval: their accumulated compilation and collection time (elapsed, from the
     * {@code java.lang} Compilation and GarbageCollector MXBeans) against the CPUs the CPU figure is a share of. High
     * while a fresh JVM compiles its hot code; NaN if unknown.
     */
    public double getRuntimeCpu() { return runtimeCpu; }

    /**
     * Of {@link #getRequestRate()}, the requests per second that arrived here with a valid hop marker (moved here by
     * peers), counted by this host's filters over the same interval; NaN if unknown (a filter or agent older than
     * this figure).
     */
    public double getMovedInRate() { return movedInRate; }

    @Override
    public String toString() {
        return "HostLoad[" + hostId + " q=" + queueLength + " delay=" + queueDelayMillis + "ms cpu=" + systemCpu
                + " mem=" + systemMemory + " health=" + healthUp + "/" + appHealthUp + "]";
    }

    /** Mutable builder; every figure starts as unknown and health as up (unprobed hosts are not condemned). */
    public static final class Builder {
        private final String hostId;
        private String zone = "";
        private String webBaseUrl = "";
        private long timestampMillis;
        private double systemCpu = UNKNOWN;
        private double processCpu = UNKNOWN;
        private double systemMemory = UNKNOWN;
        private long heapUsedBytes = UNKNOWN_COUNT;
        private long heapMaxBytes = UNKNOWN_COUNT;
        private double queueLength = UNKNOWN;
        private long queueLengthMax = UNKNOWN_COUNT;
        private double queueDelayMillis = UNKNOWN;
        private double queueDelayMaxMillis = UNKNOWN;
        private long inFlight = UNKNOWN_COUNT;
        private double requestRate = UNKNOWN;
        private double errorRate = UNKNOWN;
        private long activeSessions = UNKNOWN_COUNT;
        private long sessionCapacity = UNKNOWN_COUNT;
        private boolean healthUp = true;
        private int healthStatus = -1;
        private double healthResponseMillis = UNKNOWN;
        private double healthBaselineMillis = UNKNOWN;
        private boolean appHealthUp = true;
        private int appHealthStatus = -1;
        private double appHealthResponseMillis = UNKNOWN;
        private String directiveMode = OffloadMode.LOCAL.name();
        private int filters;
        private double waitingRequests = UNKNOWN;
        private long busyWorkers = UNKNOWN_COUNT;
        private long maxWorkers = UNKNOWN_COUNT;
        private double serviceTimeMillis = UNKNOWN;
        private double movedRate = UNKNOWN;
        private double overBudgetRate = UNKNOWN;
        private String[] movedToPeers = new String[0];
        private double[] movedToRates = new double[0];
        private String[] declineReasons = new String[0];
        private double[] declineRates = new double[0];
        private String resourceScope = "machine";
        private String[] clientNetworks = new String[0];
        private double[] clientRttMillis = new double[0];
        private double runtimeCpu = UNKNOWN;
        private double movedInRate = UNKNOWN;

        private Builder(String hostId) {
            if (hostId == null || hostId.isBlank()) {
                throw new IllegalArgumentException("hostId is missing");
            }
            this.hostId = hostId;
        }

        public Builder zone(String v) { zone = v == null ? "" : v; return this; }
        public Builder webBaseUrl(String v) { webBaseUrl = v == null ? "" : v; return this; }
        public Builder timestampMillis(long v) { timestampMillis = v; return this; }
        public Builder systemCpu(double v) { systemCpu = v; return this; }
        public Builder processCpu(double v) { processCpu = v; return this; }
        public Builder systemMemory(double v) { systemMemory = v; return this; }
        public Builder heapUsedBytes(long v) { heapUsedBytes = v; return this; }
        public Builder heapMaxBytes(long v) { heapMaxBytes = v; return this; }
        public Builder queueLength(double v) { queueLength = v; return this; }
        public Builder queueLengthMax(long v) { queueLengthMax = v; return this; }
        public Builder queueDelayMillis(double v) { queueDelayMillis = v; return this; }
        public Builder queueDelayMaxMillis(double v) { queueDelayMaxMillis = v; return this; }
        public Builder inFlight(long v) { inFlight = v; return this; }
        public Builder requestRate(double v) { requestRate = v; return this; }
        public Builder errorRate(double v) { errorRate = v; return this; }
        public Builder activeSessions(long v) { activeSessions = v; return this; }
        public Builder sessionCapacity(long v) { sessionCapacity = v; return this; }
        public Builder healthUp(boolean v) { healthUp = v; return this; }
        public Builder healthStatus(int v) { healthStatus = v; return this; }
        public Builder healthResponseMillis(double v) { healthResponseMillis = v; return this; }
        public Builder healthBaselineMillis(double v) { healthBaselineMillis = v; return this; }
        public Builder appHealthUp(boolean v) { appHealthUp = v; return this; }
        public Builder appHealthStatus(int v) { appHealthStatus = v; return this; }
        public Builder appHealthResponseMillis(double v) { appHealthResponseMillis = v; return this; }
        public Builder directiveMode(String v) { directiveMode = v == null ? OffloadMode.LOCAL.name() : v; return this; }
        public Builder filters(int v) { filters = v; return this; }
        public Builder waitingRequests(double v) { waitingRequests = v; return this; }
        public Builder busyWorkers(long v) { busyWorkers = v; return this; }
        public Builder maxWorkers(long v) { maxWorkers = v; return this; }
        public Builder serviceTimeMillis(double v) { serviceTimeMillis = v; return this; }
        public Builder movedRate(double v) { movedRate = v; return this; }
        public Builder overBudgetRate(double v) { overBudgetRate = v; return this; }
        public Builder movedToPeers(String[] v) { movedToPeers = v == null ? new String[0] : v.clone(); return this; }
        public Builder movedToRates(double[] v) { movedToRates = v == null ? new double[0] : v.clone(); return this; }
        public Builder declineReasons(String[] v) { declineReasons = v == null ? new String[0] : v.clone(); return this; }
        public Builder declineRates(double[] v) { declineRates = v == null ? new double[0] : v.clone(); return this; }
        public Builder resourceScope(String v) { resourceScope = v == null ? "machine" : v; return this; }
        public Builder clientNetworks(String[] v) { clientNetworks = v == null ? new String[0] : v.clone(); return this; }
        public Builder clientRttMillis(double[] v) { clientRttMillis = v == null ? new double[0] : v.clone(); return this; }
        public Builder runtimeCpu(double v) { runtimeCpu = v; return this; }
        public Builder movedInRate(double v) { movedInRate = v; return this; }

        public HostLoad build() {
            return new HostLoad(this);
        }
    }
}
