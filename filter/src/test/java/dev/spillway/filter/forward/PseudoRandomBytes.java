package dev.spillway.filter.forward;

import java.io.InputStream;
import java.util.zip.CRC32;

/** A reproducible stream of pseudo-random bytes (xorshift64*), so a checksum can be recomputed instead of stored. */
final class PseudoRandomBytes extends InputStream {
    private long state;
    private long remaining;
    private long word;
    private int wordLeft;

    PseudoRandomBytes(long seed, long length) {
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        this.remaining = length;
    }

    @Override
    public int read() {
        byte[] b = new byte[1];
        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (remaining <= 0) {
            return -1;
        }
        int n = (int) Math.min(len, remaining);
        for (int i = 0; i < n; i++) {
            if (wordLeft == 0) {
                state ^= state >>> 12;
                state ^= state << 25;
                state ^= state >>> 27;
                word = state * 0x2545F4914F6CDD1DL;
                wordLeft = 8;
            }
            b[off + i] = (byte) word;
            word >>>= 8;
            wordLeft--;
        }
        remaining -= n;
        return n;
    }

    static long crc(long seed, long length) {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[64 * 1024];
        PseudoRandomBytes in = new PseudoRandomBytes(seed, length);
        int n;
        while ((n = in.read(buf, 0, buf.length)) > 0) {
            crc.update(buf, 0, n);
        }
        return crc.getValue();
    }
}
