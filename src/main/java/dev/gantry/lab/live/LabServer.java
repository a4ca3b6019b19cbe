package dev.gantry.lab.live;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The live lab's web server ({@code gantry lab serve}): the page, and a small JSON API over one
 * {@link LabSession}. It listens on 127.0.0.1 only and answers only requests addressed to itself:
 * a {@code Host} that is not {@code 127.0.0.1:PORT} or {@code localhost:PORT} (DNS rebinding) or an
 * {@code Origin} that is not this server (another site's page in the same browser) gets 403.
 *
 * <p>API: {@code GET /api/options} (the choices and their ranges), {@code GET /api/snapshot} (the
 * newest frame), {@code POST /api/reset} (settings as JSON), {@code /api/play}, {@code /api/pause},
 * {@code /api/step} ({@code {"steps": n}}), {@code /api/speed} ({@code {"speed": n}}). A bad
 * request is answered 400 with {@code {"error": "..."}} naming the key.
 */
public final class LabServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    /** Largest request body: settings with 50 centres fit many times over. */
    static final long MAX_BODY = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Javalin app;
    private final LabSession session;
    private final int port;

    private LabServer(Javalin app, LabSession session, int port) {
        this.app = app;
        this.session = session;
        this.port = port;
    }

    /**
     * Starts the server on 127.0.0.1:{@code port} (0: a free port) with a paused session of the
     * default settings.
     *
     * @throws BadInputException when the port is out of range or already in use
     */
    public static LabServer start(int port) {
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port: expected 0 (any free port) to 65535 (got " + port + ")");
        }
        // The session (and its trainer) is made once the port is ours: a port in use costs nothing.
        java.util.concurrent.atomic.AtomicReference<LabSession> live = new java.util.concurrent.atomic.AtomicReference<>();
        int[] bound = {port};
        Javalin app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
            c.http.maxRequestSize = MAX_BODY;
            c.jetty.threadPool = new QueuedThreadPool(16, 2, 60_000);
        });
        app.before(ctx -> guard(ctx, bound[0]));
        app.before("/api/*", ctx -> {
            if (live.get() == null) {
                throw new BadInputException("the lab is still starting; try again in a moment");
            }
        });
        app.exception(Refused.class, (e, ctx) -> error(ctx, 403, e.getMessage()));
        app.exception(BadInputException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.error(404, ctx -> {
            if (!ctx.res().isCommitted() && ctx.result() == null) {
                error(ctx, 404, "no such page: " + ctx.path());
            }
        });
        app.get("/", ctx -> resource(ctx, "/lab/index.html", "text/html; charset=utf-8"));
        app.get("/lab.js", ctx -> resource(ctx, "/lab/lab.js", "text/javascript; charset=utf-8"));
        app.get("/lab.css", ctx -> resource(ctx, "/lab/lab.css", "text/css; charset=utf-8"));
        app.get("/docs/diagnostics", ctx -> {
            ctx.contentType("text/html; charset=utf-8");
            ctx.result(DocPage.render(read("/docs/diagnostics.md"), "Gantry: the alarms of training"));
        });
        app.get("/api/options", ctx -> json(ctx, options()));
        app.get("/api/snapshot", ctx -> {
            ctx.contentType("application/json");
            ctx.header("Cache-Control", "no-store");
            ctx.result(live.get().snapshot());
        });
        app.post("/api/reset", ctx -> {
            live.get().reset(LabSettings.fromJson(body(ctx)));
            ok(ctx);
        });
        app.post("/api/play", ctx -> {
            live.get().play();
            ok(ctx);
        });
        app.post("/api/pause", ctx -> {
            live.get().pause();
            ok(ctx);
        });
        app.post("/api/step", ctx -> {
            JsonNode b = body(ctx);
            int n = intField(b, "steps", 1, 1, LabSession.MAX_SPEED);
            live.get().step(n);
            ok(ctx);
        });
        app.post("/api/speed", ctx -> {
            live.get().speed(intField(body(ctx), "speed", -1, 1, LabSession.MAX_SPEED));
            ok(ctx);
        });
        try {
            app.start(HOST, port);
        } catch (RuntimeException e) {
            app.stop();
            if (isBind(e)) {
                throw new BadInputException("--port " + port + ": " + HOST + ":" + port
                        + " is in use (" + rootMessage(e) + "); choose another with --port, or --port 0 for a free one", e);
            }
            throw e;
        }
        bound[0] = app.port();
        LabSession session;
        try {
            session = new LabSession(LabSettings.defaults());
        } catch (RuntimeException e) {
            app.stop();
            throw e;
        }
        live.set(session);
        return new LabServer(app, session, app.port());
    }

    /** The port listened on. */
    public int port() {
        return port;
    }

    /** The page's address. */
    public String url() {
        return "http://" + HOST + ":" + port + "/";
    }

    public LabSession session() {
        return session;
    }

    @Override
    public void close() {
        app.stop();
        session.close();
    }

    /** A request refused for where it comes from. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** Refuses requests not addressed to this server, or sent by another site's page. */
    static void guard(Context ctx, int port) {
        String host = ctx.header("Host");
        List<String> hosts = List.of(HOST + ":" + port, "localhost:" + port);
        if (host == null || !hosts.contains(host.toLowerCase(java.util.Locale.ROOT))) {
            throw new Refused("refused: Host " + (host == null ? "(none)" : "'" + clip(host) + "'")
                    + " is not this server (" + HOST + ":" + port + ")");
        }
        String origin = ctx.header("Origin");
        if (origin != null && !List.of("http://" + HOST + ":" + port, "http://localhost:" + port).contains(origin)) {
            throw new Refused("refused: Origin '" + clip(origin) + "' is not this server (http://" + HOST + ":" + port + ")");
        }
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && site.equals("cross-site")) {
            throw new Refused("refused: a cross-site request");
        }
        // Every answer: no framing by other pages, no sniffing, scripts only from here.
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    static ObjectNode options() {
        ObjectNode o = JSON.createObjectNode();
        o.set("defaults", LabSettings.defaults().toJson());
        o.set("mixtures", JSON.valueToTree(LabSettings.MIXTURES));
        o.set("losses", JSON.valueToTree(LabSettings.LOSSES));
        ObjectNode r = o.putObject("ranges");
        r.set("k", JSON.valueToTree(List.of(1, LabSettings.MAX_K)));
        r.set("lr", JSON.valueToTree(List.of(LabSettings.MIN_LR, LabSettings.MAX_LR)));
        r.set("noise_dim", JSON.valueToTree(List.of(1, LabSettings.MAX_NOISE_DIM)));
        r.set("hidden", JSON.valueToTree(List.of(LabSettings.MIN_HIDDEN, LabSettings.MAX_HIDDEN)));
        r.set("seed", JSON.valueToTree(List.of(0, LabSettings.MAX_SEED)));
        r.set("std", JSON.valueToTree(List.of(LabSettings.MIN_STD, LabSettings.MAX_STD)));
        r.set("centres", JSON.valueToTree(List.of(1, LabSettings.MAX_CENTRES)));
        r.set("coordinate", JSON.valueToTree(List.of(-LabSettings.MAX_COORD, LabSettings.MAX_COORD)));
        r.set("speed", JSON.valueToTree(List.of(1, LabSession.MAX_SPEED)));
        return o;
    }

    private static JsonNode body(Context ctx) {
        String text = ctx.body();
        if (text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadInputException("request body: expected JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static int intField(JsonNode b, String key, int fallback, int lo, int hi) {
        if (!b.isObject()) {
            throw new BadInputException("request body: expected a JSON object");
        }
        JsonNode v = b.get(key);
        if (v == null || v.isNull()) {
            if (fallback < 0) {
                throw new BadInputException(key + ": required");
            }
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < lo || v.asInt() > hi) {
            throw new BadInputException(key + ": expected an integer in [" + lo + ", " + hi + "] (got " + clip(v.toString()) + ")");
        }
        return v.asInt();
    }

    private static void ok(Context ctx) {
        json(ctx, JSON.createObjectNode().put("ok", true));
    }

    private static void json(Context ctx, JsonNode node) {
        ctx.contentType("application/json");
        ctx.result(node.toString());
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status);
        json(ctx, JSON.valueToTree(Map.of("error", message)));
    }

    private static void resource(Context ctx, String path, String type) {
        ctx.contentType(type);
        ctx.result(read(path));
    }

    static String read(String path) {
        try (InputStream in = LabServer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + path, e);
        }
    }

    private static boolean isBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || t.getClass().getSimpleName().equals("JavalinBindException")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
