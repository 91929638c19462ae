package dev.spillway.filter.forward;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * Put in front of the filter under test: wraps the response so that the first few {@code isReady()} calls on its
 * output take a moment, as they may behind a wrapping filter (compression, metrics) or on a busy machine. That
 * widens, without changing what the container does, the window where the container's first
 * {@code onWritePossible} and the peer's first chunk reach the relay from two threads at once.
 */
final class SlowReadyOutputFilter implements Filter {
    private static final int SLOW_CALLS = 6;
    private static final long PAUSE_NANOS = 3_000_000;
    private final Filter next;

    SlowReadyOutputFilter(Filter next) {
        this.next = next;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        next.doFilter(req, new SlowReadyResponse((HttpServletResponse) resp), chain);
    }

    private static final class SlowReadyResponse extends HttpServletResponseWrapper {
        private SlowReadyOutput output;

        SlowReadyResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public synchronized ServletOutputStream getOutputStream() throws IOException {
            if (output == null) {
                output = new SlowReadyOutput(super.getOutputStream());
            }
            return output;
        }
    }

    private static final class SlowReadyOutput extends ServletOutputStream {
        private final ServletOutputStream out;
        private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        SlowReadyOutput(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public boolean isReady() {
            boolean ready = out.isReady();
            if (calls.incrementAndGet() <= SLOW_CALLS) {
                LockSupport.parkNanos(PAUSE_NANOS);
            }
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
