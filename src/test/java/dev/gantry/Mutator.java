package dev.gantry;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of a valid file, for the readers' fuzz tests: byte flips, interesting byte
 * values, truncations, insertions, deletions and appended garbage, biased towards the header where
 * the structure lives; and raw JSON values that stress a reader (numbers at and past the integer
 * limits, non-finite and underflowing numbers, wrong types, deep nesting, long strings).
 */
public final class Mutator {

    private final Random r;

    public Mutator(long seed) {
        this.r = new Random(seed);
    }

    public Random random() {
        return r;
    }

    public boolean nextBoolean() {
        return r.nextBoolean();
    }

    public int nextInt(int bound) {
        return r.nextInt(bound);
    }

    public <T> T pick(List<T> items) {
        return items.get(r.nextInt(items.size()));
    }

    /** A random position, in the first {@code header} bytes half of the time. */
    private int position(int length, int header) {
        if (length == 0) {
            return 0;
        }
        return header > 0 && r.nextBoolean() ? r.nextInt(Math.min(header, length)) : r.nextInt(length);
    }

    /** One byte-level mutation of {@code seed}; {@code what[0]} receives its description. */
    public byte[] bytes(byte[] seed, int header, String[] what) {
        byte[] b = seed.clone();
        switch (r.nextInt(6)) {
            case 0 -> {
                int n = 1 + r.nextInt(4);
                StringBuilder at = new StringBuilder();
                for (int i = 0; i < n && b.length > 0; i++) {
                    int p = position(b.length, header);
                    b[p] ^= (byte) (1 + r.nextInt(255));
                    at.append(i == 0 ? "" : ",").append(p);
                }
                what[0] = "flipped bytes at " + at;
            }
            case 1 -> {
                if (b.length > 0) {
                    int p = position(b.length, header);
                    int v = new int[] {0, 1, 0x7F, 0x80, 0xFF}[r.nextInt(5)];
                    b[p] = (byte) v;
                    what[0] = "byte " + p + " set to " + v;
                }
            }
            case 2 -> {
                int len = r.nextBoolean() ? position(b.length, header) : r.nextInt(b.length + 1);
                b = Arrays.copyOf(b, len);
                what[0] = "truncated to " + len + " bytes";
            }
            case 3 -> {
                int p = position(b.length + 1, header);
                byte[] ins = new byte[1 + r.nextInt(16)];
                r.nextBytes(ins);
                b = splice(b, p, 0, ins);
                what[0] = ins.length + " random bytes inserted at " + p;
            }
            case 4 -> {
                if (b.length > 0) {
                    int p = position(b.length, header);
                    int n = Math.min(1 + r.nextInt(16), b.length - p);
                    b = splice(b, p, n, new byte[0]);
                    what[0] = n + " bytes deleted at " + p;
                }
            }
            default -> {
                byte[] tail = new byte[1 + r.nextInt(64)];
                r.nextBytes(tail);
                b = splice(b, b.length, 0, tail);
                what[0] = tail.length + " random bytes appended";
            }
        }
        if (what[0] == null) {
            what[0] = "unchanged";
        }
        return b;
    }

    /** {@code b} with {@code remove} bytes at {@code at} replaced by {@code insert}. */
    public static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, at);
        out.write(insert, 0, insert.length);
        out.write(b, at + remove, b.length - at - remove);
        return out.toByteArray();
    }

    /** A 32-bit value at or near a limit, or a random one. */
    public int interestingInt(int original) {
        int[] v = {0, 1, -1, original - 1, original + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 8, 0x10000, r.nextInt()};
        return v[r.nextInt(v.length)];
    }

    /** Raw JSON text of a value that stresses a reader. */
    public String jsonValue() {
        List<String> v = List.of("0", "-1", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
                "9223372036854775808", "99999999999999999999999", "1e999", "-1e999", "1.5", "3.0", "1e-400", "-0.0", "0.1",
                "\"\"", "\"x\"", "\"NaN\"", "\"Infinity\"", "\"10\"", "null", "true", "false", "[]", "{}", "[1,2]", "{\"a\":1}",
                "[".repeat(3000) + "]".repeat(3000), "{\"a\":".repeat(1500) + "1" + "}".repeat(1500),
                "\"" + "y".repeat(100_000) + "\"", "\"\\u0000\"", "\"\\ud800\"");
        return v.get(r.nextInt(v.size()));
    }
}
