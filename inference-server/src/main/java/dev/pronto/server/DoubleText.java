package dev.pronto.server;

import java.math.BigInteger;

/**
 * Writes a finite double as the shortest decimal text that reads back as the same double, formatted as
 * Java 19's {@code Double.toString} and Jackson's fast double writer format it ({@code 0.1}, {@code 1.0},
 * {@code 1234567.0}, {@code 1.0E7}, {@code 1.0E-4}, {@code -0.0}), straight into a byte array.
 *
 * <p>Why not Jackson's writer: it gives the same text but makes a {@code String} (and a formatter object
 * and its buffer) per number, which the generator then copies char by char; for an answer of 100 iris
 * records that is 400 numbers and a fifth of the server's CPU per request (docs/performance.md).
 *
 * <p>The digits come from Raffaello Giulietti's Schubfach algorithm ("The Schubfach way to render
 * doubles", 2020), written here from the paper: the double's rounding interval is scaled by a 126-bit
 * approximation of a power of ten (computed once, exactly, with {@link BigInteger}) and the shortest
 * decimal inside it is chosen, the closest one when several are. Tests check every result against
 * Jackson's writer and that it parses back to the same bits.
 *
 * <p>Stateless and thread-safe.
 */
final class DoubleText {

    /** The longest text a double gives: {@code -2.2250738585072014E-308}. */
    static final int MAX_LENGTH = 24;

    private static final int PRECISION = 53;
    private static final int Q_MIN = -1074;
    private static final long C_MIN = 1L << (PRECISION - 1);
    private static final long SIGNIFICAND_MASK = C_MIN - 1;
    private static final long MASK_63 = Long.MAX_VALUE;
    /** Significands of subnormals below this need one more decimal digit of headroom to be exact. */
    private static final int C_TINY = 3;
    private static final int K_MIN = -324;
    private static final int K_MAX = 292;
    /** Digits of the significand kept by the scaling: at most 17 for a double. */
    private static final long[] POW10 = new long[19];
    private static final byte[] TWO_DIGITS = new byte[200];

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
        for (int i = 0; i < 100; i++) {
            TWO_DIGITS[2 * i] = (byte) ('0' + i / 10);
            TWO_DIGITS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** The powers of ten, once computed; see {@link #ready()}. */
    private static volatile long[] powers;
    private static final java.util.concurrent.atomic.AtomicBoolean COMPUTING = new java.util.concurrent.atomic.AtomicBoolean();

    private DoubleText() {
    }

    /**
     * Whether the table of powers of ten is computed; if not, starts computing it on a daemon thread. It takes
     * 40-170 ms in a JVM that just started (measured under load), which a first request should not wait
     * for: {@link AnswerBytes} leaves answers to Jackson's generator (the same bytes) until this is true.
     */
    static boolean ready() {
        if (powers != null) {
            return true;
        }
        if (COMPUTING.compareAndSet(false, true)) {
            Thread thread = new Thread(DoubleText::table, "pronto-double-text");
            thread.setDaemon(true);
            thread.start();
        }
        return false;
    }

    private static long[] table() {
        long[] g = powers;
        if (g == null) {
            g = Powers.G;
            powers = g;
        }
        return g;
    }

    /**
     * Writes {@code value} at {@code at}; the array must have {@link #MAX_LENGTH} bytes free there, which the
     * writer may use as scratch space beyond the text.
     *
     * @return the position after the text
     * @throws IllegalArgumentException for NaN and the infinities, which have no JSON number
     */
    static int write(double value, byte[] to, int at) {
        long bits = Double.doubleToRawLongBits(value);
        int pos = at;
        if (bits < 0) {
            to[pos++] = '-';
        }
        long t = bits & SIGNIFICAND_MASK;
        int exponentBits = (int) (bits >>> (PRECISION - 1)) & 0x7FF;
        if (exponentBits == 0x7FF) {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
        if (exponentBits != 0) {
            int mq = -Q_MIN + 1 - exponentBits;
            long c = C_MIN | t;
            // a whole number below 2^53 is its own shortest decimal
            if (mq > 0 && mq < PRECISION) {
                long f = c >> mq;
                if (f << mq == c) {
                    return digits(f, 0, to, pos);
                }
            }
            return shortest(-mq, c, 0, to, pos);
        }
        if (t != 0) {
            return t < C_TINY ? shortest(Q_MIN, 10 * t, -1, to, pos) : shortest(Q_MIN, t, 0, to, pos);
        }
        to[pos] = '0';
        to[pos + 1] = '.';
        to[pos + 2] = '0';
        return pos + 3;
    }

    /** The shortest decimal in the rounding interval of {@code c · 2^q}, written; {@code dk} corrects a scaled {@code c}. */
    private static int shortest(int q, long c, int dk, byte[] to, int at) {
        int out = (int) c & 1;
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        // at a power of two the interval below is half as wide as the one above
        if (c != C_MIN | q == Q_MIN) {
            cbl = cb - 2;
            k = floorLog10Pow2(q);
        } else {
            cbl = cb - 1;
            k = floorLog10ThreeQuartersPow2(q);
        }
        int h = q + floorLog2Pow10(-k) + 2;
        long[] g = table();
        long g1 = g[2 * (k - K_MIN)];
        long g0 = g[2 * (k - K_MIN) + 1];
        long vb = roundToOdd(g1, g0, cb << h);
        long vbl = roundToOdd(g1, g0, cbl << h);
        long vbr = roundToOdd(g1, g0, cbr << h);
        long s = vb >> 2;
        if (s >= 100) {
            // one digit fewer, if a multiple of ten lies in the interval
            long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4);
            long tp10 = sp10 + 10;
            boolean upin = vbl + out <= sp10 << 2;
            boolean wpin = (tp10 << 2) + out <= vbr;
            if (upin != wpin) {
                return digits(upin ? sp10 : tp10, k + dk, to, at);
            }
        }
        long t = s + 1;
        boolean uin = vbl + out <= s << 2;
        boolean win = (t << 2) + out <= vbr;
        if (uin != win) {
            return digits(uin ? s : t, k + dk, to, at);
        }
        // both candidates are in the interval: the closer, the even one on a tie
        long cmp = vb - (s + t << 1);
        return digits(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k + dk, to, at);
    }

    /** {@code floor(g · cp / 2^127)}, with its lowest bit set when the division was inexact. */
    private static long roundToOdd(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long vbp = y1 + (z >>> 63);
        return vbp | (z & MASK_63) + MASK_63 >>> 63;
    }

    private static int floorLog10Pow2(int e) {
        return (int) (e * 661_971_961_083L >> 41);
    }

    private static int floorLog10ThreeQuartersPow2(int e) {
        return (int) (e * 661_971_961_083L + -274_743_187_321L >> 41);
    }

    private static int floorLog2Pow10(int e) {
        return (int) (e * 913_124_641_741L >> 38);
    }

    /** Writes {@code f · 10^e} (f > 0) as Java does: plain from 10^-3 to below 10^7, else computerized scientific. */
    private static int digits(long f, int e, byte[] to, int at) {
        // f as exactly 17 digits: f · 10^e = d.dddd · 10^exp
        int len = 1;
        while (len < 17 && f >= POW10[len]) {
            len++;
        }
        f *= POW10[17 - len];
        int exp = e + len - 1;
        int pos = at;
        if (exp >= 0 && exp < 7) {
            // the digits one place right, then the integer part moved left over the gap and the point put after it
            int n = write17(f, to, pos + 1);
            for (int i = 0; i <= exp; i++) {
                to[pos + i] = to[pos + i + 1];
            }
            to[pos + exp + 1] = '.';
            // a whole number keeps its zeros up to the point, and one after it
            return pos + Math.max(n, exp + 2) + 1;
        }
        if (exp < 0 && exp >= -3) {
            to[pos++] = '0';
            to[pos++] = '.';
            for (int i = -1; i > exp; i--) {
                to[pos++] = '0';
            }
            return pos + write17(f, to, pos);
        }
        // d.ddd, at least one digit after the point, then E and the exponent
        int n = write17(f, to, pos + 1);
        to[pos] = to[pos + 1];
        to[pos + 1] = '.';
        pos += Math.max(n, 2) + 1;
        to[pos++] = 'E';
        int x = exp;
        if (x < 0) {
            to[pos++] = '-';
            x = -x;
        }
        if (x >= 100) {
            to[pos++] = (byte) ('0' + x / 100);
            x %= 100;
            to[pos++] = TWO_DIGITS[2 * x];
        } else if (x >= 10) {
            to[pos++] = TWO_DIGITS[2 * x];
        }
        to[pos++] = TWO_DIGITS[2 * x + 1];
        return pos;
    }

    /**
     * Writes the 17 digits of {@code f} (10^16 ≤ f < 10^17) at {@code at}, with zeros standing for the
     * trailing zeros dropped, so that a caller may put a point and a zero after its first digit.
     *
     * @return how many digits count: 17 less the trailing zeros, at least 1
     */
    private static int write17(long f, byte[] to, int at) {
        long high = f / 100_000_000L;
        int low = (int) (f - high * 100_000_000L);
        int first = (int) (high / 100_000_000L);
        to[at] = (byte) ('0' + first);
        write8((int) (high - first * 100_000_000L), to, at + 1);
        write8(low, to, at + 9);
        int n = 17;
        while (n > 1 && to[at + n - 1] == '0') {
            n--;
        }
        return n;
    }

    /** The 8 digits of {@code v} (below 10^8), zeros first; divisions by multiplication, exact in this range. */
    private static void write8(int v, byte[] to, int at) {
        int high = (int) ((v * 109_951_163L) >>> 40);
        write4(high, to, at);
        write4(v - high * 10_000, to, at + 4);
    }

    private static void write4(int v, byte[] to, int at) {
        int high = (v * 5243) >>> 19;
        int low = v - high * 100;
        to[at] = TWO_DIGITS[2 * high];
        to[at + 1] = TWO_DIGITS[2 * high + 1];
        to[at + 2] = TWO_DIGITS[2 * low];
        to[at + 3] = TWO_DIGITS[2 * low + 1];
    }

    /**
     * For each k from K_MIN to K_MAX, {@code g = floor(β) + 1} where {@code 10^-k = β · 2^r} and
     * {@code 2^125 ≤ β < 2^126}, as two 63-bit halves (high, low). Computed exactly when first needed (see
     * {@link #ready()}), rather than kept as a table of 1,234 literals in the source.
     */
    private static final class Powers {

        static final long[] G = table();

        private static long[] table() {
            long[] g = new long[2 * (K_MAX - K_MIN + 1)];
            BigInteger mask63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
            for (int k = K_MIN; k <= K_MAX; k++) {
                BigInteger floor;
                if (k <= 0) {
                    BigInteger n = BigInteger.TEN.pow(-k);
                    int shift = n.bitLength() - 126;
                    floor = shift >= 0 ? n.shiftRight(shift) : n.shiftLeft(-shift);
                } else {
                    BigInteger d = BigInteger.TEN.pow(k);
                    floor = BigInteger.ONE.shiftLeft(125 + d.bitLength()).divide(d);
                }
                BigInteger value = floor.add(BigInteger.ONE);
                g[2 * (k - K_MIN)] = value.shiftRight(63).longValueExact();
                g[2 * (k - K_MIN) + 1] = value.and(mask63).longValueExact();
            }
            return g;
        }
    }
}
