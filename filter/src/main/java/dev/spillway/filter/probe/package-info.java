/**
 * The filter's load probe: {@link dev.spillway.filter.probe.LoadProbe} and the sources it reads.
 *
 * <p>Container internals are reached only by reflection, resolved once into method handles, so the filter JAR has
 * no compile or runtime dependency on Jetty or Tomcat; on any other container (or any reflection failure) the
 * sources answer "unknown" and the probe falls back to the in-flight count and to {@code X-Request-Start}.
 *
 * <p><b>What the containers' arrival timestamps do and do not measure.</b> Jetty 12 ({@code getBeginNanoTime()})
 * and Tomcat 11 ({@code getStartTimeNanos()}) both stamp an HTTP/1.1 request when a worker thread starts parsing
 * it. The wait for a worker happens before that (Jetty queues the connection's read job in its
 * {@code QueuedThreadPool}, Tomcat its {@code SocketProcessor} in the connector's executor), so on HTTP/1.1 these
 * figures stay near zero even when requests wait seconds for a thread (measured: a few ms against waits of 0.8 s on
 * Jetty and 2.8 s on Tomcat). Two things see that wait: {@link dev.spillway.filter.probe.PoolWaitCanary}, which
 * times an empty job through the same pool, and a trusted front proxy's {@code X-Request-Start}, which is therefore
 * tried before the container stamp. HTTP/2, where a stream is stamped on the connection's thread and then dispatched, is expected
 * to include the wait but is not tested here.
 */
package dev.spillway.filter.probe;
