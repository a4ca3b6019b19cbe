package dev.gantry.sweep;

import dev.gantry.BadInputException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark master URL as {@code gantry sweep} takes it: {@code local}, {@code local[N]},
 * {@code local[*]}, or a standalone master {@code spark://HOST:PORT[,HOST:PORT...]}.
 *
 * <p>A standalone master is probed with a plain TCP connection before Spark is started: Spark's
 * own client would retry its registration for a minute and more before giving up, where a closed
 * port or an unknown host is known in milliseconds.
 */
public record Master(String url, boolean local, int localCores, List<InetSocketAddress> addresses) {

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|[1-9][0-9]*)(?:,[1-9][0-9]*)?\\])?");
    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9._-]+|\\[[0-9a-fA-F:]+\\]):([0-9]{1,5})");

    /** The default: one local core per available processor. */
    public static Master localDefault() {
        int n = Runtime.getRuntime().availableProcessors();
        return new Master("local[" + n + "]", true, n, List.of());
    }

    /** Parses a master URL; anything else is bad input naming what is accepted. */
    public static Master parse(String url) {
        Matcher m = LOCAL.matcher(url);
        if (m.matches()) {
            String n = m.group(1);
            int cores = n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
            return new Master(url, true, cores, List.of());
        }
        if (url.startsWith("spark://")) {
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (String hp : url.substring("spark://".length()).split(",", -1)) {
                Matcher h = HOST_PORT.matcher(hp);
                int port = h.matches() ? Integer.parseInt(h.group(2)) : -1;
                if (port < 1 || port > 65535) {
                    throw new BadInputException("--master " + url + ": expected spark://HOST:PORT (PORT 1-65535), got '" + hp + "'");
                }
                addresses.add(InetSocketAddress.createUnresolved(h.group(1).replaceAll("^\\[|\\]$", ""), port));
            }
            return new Master(url, false, 0, List.copyOf(addresses));
        }
        throw new BadInputException("--master " + url + ": expected local, local[N], local[*] or spark://HOST:PORT "
                + "(a standalone master; a sweep needs a directory its workers share, see docs/sweeps.md)");
    }

    /**
     * Checks that a standalone master accepts connections, within {@code timeoutMillis} per
     * address; throws bad input naming the addresses and why each failed.
     */
    public void checkReachable(int timeoutMillis) {
        if (local) {
            return;
        }
        List<String> why = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(a.getHostString(), a.getPort()), timeoutMillis);
                return;
            } catch (IOException e) {
                String reason = e instanceof java.net.UnknownHostException ? "unknown host"
                        : e instanceof java.net.SocketTimeoutException ? "no answer within " + timeoutMillis + " ms"
                        : e.getMessage();
                why.add(a.getHostString() + ":" + a.getPort() + " (" + reason + ")");
            } catch (IllegalArgumentException e) {
                why.add(a.getHostString() + ":" + a.getPort() + " (" + e.getMessage() + ")");
            }
        }
        throw new BadInputException("--master " + url + ": cannot reach the Spark master: " + String.join(", ", why)
                + "; is a master running there (sbin/start-master.sh) and is the port right?");
    }
}
