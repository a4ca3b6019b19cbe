package dev.gantry.lab.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.cli.LabCommand;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The live lab's server without a browser: who it answers, what it refuses, and that it trains. */
class LabServerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static LabServer server;
    static HttpClient http;

    @BeforeAll
    static void start() {
        server = LabServer.start(0);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).timeout(Duration.ofSeconds(120));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").header("Origin", "http://127.0.0.1:" + server.port())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request written by hand, to send a Host header of our choosing. */
    static String raw(String request) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static JsonNode snapshotWhen(java.util.function.Predicate<JsonNode> ready) throws Exception {
        PatientClock clock = new PatientClock();
        JsonNode s = null;
        while (clock.seconds() < 60) {
            s = JSON.readTree(get("/api/snapshot", null).body());
            if (ready.test(s)) {
                return s;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no snapshot as expected within 60 s; last: " + s);
    }

    @Test
    void servesThePageToItselfAndRefusesOtherOriginsAndHosts() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<canvas id=\"heat\"");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
        assertThat(get("/lab.js", "http://127.0.0.1:" + server.port()).statusCode()).isEqualTo(200);
        assertThat(get("/api/options", "http://localhost:" + server.port()).statusCode()).isEqualTo(200);

        HttpResponse<String> evil = get("/api/snapshot", "http://evil.example");
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(evil.body()).get("error").asText()).contains("Origin 'http://evil.example' is not this server");
        // Another port of the same host is another origin.
        assertThat(get("/api/snapshot", "http://127.0.0.1:" + (server.port() + 1)).statusCode()).isEqualTo(403);
        HttpResponse<String> evilPost = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/play"))
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(evilPost.statusCode()).isEqualTo(403);

        // DNS rebinding: a name that resolves here but is not ours.
        String rebound = raw("GET /api/snapshot HTTP/1.1\r\nHost: evil.example:" + server.port() + "\r\nConnection: close\r\n\r\n");
        assertThat(rebound).startsWith("HTTP/1.1 403").contains("Host 'evil.example:" + server.port() + "' is not this server");
        String ours = raw("GET /api/options HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nConnection: close\r\n\r\n");
        assertThat(ours).startsWith("HTTP/1.1 200");
    }

    @Test
    void badParametersAreRefusedWith400NamingTheKey() throws Exception {
        String[][] cases = {
                {"{\"lr\": 5}", "lr: expected a learning rate in [1.0E-6, 0.1] (got 5.0)"},
                {"{\"lr\": \"fast\"}", "lr: expected a number"},
                {"{\"k\": 0}", "k: expected an integer in [1, 10] (got 0)"},
                {"{\"noise_dim\": 1000}", "noise_dim: expected an integer in [1, 64]"},
                {"{\"hidden\": 2.5}", "hidden: expected an integer"},
                {"{\"loss\": \"<b>magic</b>\"}", "loss: expected one of gan, gan-minimax, least-squares, hinge, wasserstein-gp (got '<b>magic</b>')"},
                {"{\"mixture\": \"custom\"}", "centres: a custom mixture needs 1 to 50 centres (got 0)"},
                {"{\"mixture\": \"custom\", \"centres\": [[0, 0], [1e9, 0]]}", "centres[1]: expected a point [x, y] with both coordinates in [-10.0, 10.0]"},
                {"{\"mixture\": \"custom\", \"centres\": [[0, 0]], \"std\": 0}", "std: expected a number in [0.001, 1.0]"},
                {"{\"seed\": -1}", "seed: expected an integer in [0, 2147483647]"},
                {"{\"learning_rate\": 0.1}", "'learning_rate': unknown setting"},
                {"{\"lr\": 0.1, \"lr\": 0.2}", "request body: expected JSON (Duplicate field 'lr')"},
                {"not json", "request body: expected JSON"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = post("/api/reset", c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(JSON.readTree(r.body()).get("error").asText()).as(c[0]).contains(c[1]);
        }
        assertThat(JSON.readTree(post("/api/step", "{\"steps\": 1000}").body()).get("error").asText())
                .isEqualTo("steps: expected an integer in [1, 100] (got 1000)");
        assertThat(post("/api/speed", "{}").statusCode()).isEqualTo(400);
        assertThat(get("/nothing-here", null).statusCode()).isEqualTo(404);
    }

    @Test
    void stepsTrainTheRealTrainerAndResetTakesACustomMixture() throws Exception {
        assertThat(post("/api/reset", "{\"mixture\": \"ring8\", \"seed\": 3}").statusCode()).isEqualTo(200);
        JsonNode first = snapshotWhen(s -> s.path("step").asInt(-1) == 0 && s.path("settings").path("seed").asInt() == 3);
        assertThat(first.get("state").asText()).isEqualTo("paused");
        assertThat(first.get("heat")).hasSize(LabSession.HEAT * LabSession.HEAT);
        int fakes = LabSettings.GRID_SIDE * LabSettings.GRID_SIDE;
        assertThat(first.get("fake")).hasSize(2 * fakes);
        assertThat(first.get("arrows")).hasSize(2 * fakes);
        assertThat(first.get("real")).hasSize(2 * LabSession.REAL_POINTS);
        assertThat(first.path("modes").path("of").asInt()).isEqualTo(8);
        assertThat(first.path("modes").path("samples").asInt()).isEqualTo(2500);

        assertThat(post("/api/step", "{\"steps\": 20}").statusCode()).isEqualTo(200);
        JsonNode later = snapshotWhen(s -> s.path("step").asInt() == 20);
        assertThat(later.get("state").asText()).isEqualTo("paused");
        // D and G have moved: the heat map and the fake points differ from step 0.
        assertThat(later.get("heat")).isNotEqualTo(first.get("heat"));
        assertThat(later.get("fake")).isNotEqualTo(first.get("fake"));
        // Statistics every 10 steps: the history has readings at steps 10 and 20, with finite losses.
        assertThat(later.get("history")).hasSize(2);
        assertThat(later.get("history").get(1).get(0).asInt()).isEqualTo(20);
        assertThat(later.path("last").path("loss_d").isNumber()).isTrue();
        assertThat(later.path("last").path("grad_norm_g").asDouble()).isPositive();

        // Play and pause.
        assertThat(post("/api/speed", "{\"speed\": 2}").statusCode()).isEqualTo(200);
        post("/api/play", "");
        snapshotWhen(s -> "playing".equals(s.path("state").asText()) && s.path("step").asInt() > 20);
        post("/api/pause", "");
        JsonNode paused = snapshotWhen(s -> "paused".equals(s.path("state").asText()));
        Thread.sleep(400);
        assertThat(JSON.readTree(get("/api/snapshot", null).body()).get("step")).isEqualTo(paused.get("step"));
        // A change of speed while paused is published too (the page's menu follows the snapshot).
        assertThat(post("/api/speed", "{\"speed\": 7}").statusCode()).isEqualTo(200);
        JsonNode faster = snapshotWhen(s -> s.path("speed").asInt() == 7);
        assertThat(faster.get("step")).isEqualTo(paused.get("step"));
        assertThat(faster.get("state").asText()).isEqualTo("paused");

        // A mixture drawn with the mouse: three centres.
        String custom = "{\"mixture\": \"custom\", \"centres\": [[-1, 0], [1, 0], [0, 1.5]], \"std\": 0.1, \"loss\": \"hinge\", \"k\": 2}";
        assertThat(post("/api/reset", custom).statusCode()).isEqualTo(200);
        JsonNode c = snapshotWhen(s -> "custom".equals(s.path("settings").path("mixture").asText()));
        assertThat(c.get("step").asInt()).isZero();
        assertThat(c.get("modes").get("of").asInt()).isEqualTo(3);
        assertThat(c.get("modes_at").toString()).isEqualTo("[[-1.0,0.0],[1.0,0.0],[0.0,1.5]]");
        assertThat(c.get("config").toString()).contains("loss.name=hinge").contains("train.k=2");
        assertThat(c.get("heat_scale").asText()).contains("margins");
        // Real points lie near the drawn centres (within 5 std).
        JsonNode real = c.get("real");
        for (int i = 0; i < real.size(); i += 2) {
            double x = real.get(i).asDouble();
            double y = real.get(i + 1).asDouble();
            double d = Math.min(Math.hypot(x + 1, y), Math.min(Math.hypot(x - 1, y), Math.hypot(x, y - 1.5)));
            assertThat(d).isLessThan(0.5);
        }
    }

    @Test
    void theAlarmLinksLeadToTheirSections() throws Exception {
        HttpResponse<String> doc = get("/docs/diagnostics", null);
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.body()).contains("<h2 id=\"vanishing-gradient\">").contains("<h2 id=\"mode-collapse\">")
                .contains("<h2 id=\"divergence\">");
        assertThat(DocPage.render("# a <script>x</script>\n\nb & `c<d>`", "t")).contains("&lt;script&gt;x&lt;/script&gt;")
                .contains("b &amp; <code>c&lt;d&gt;</code>").doesNotContain("<script>");
    }

    @Test
    void aPortInUseExits2WithTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream old = System.err;
            int code;
            picocli.CommandLine cl = LabCommand.newCommandLine();
            java.io.StringWriter sw = new java.io.StringWriter();
            cl.setErr(new java.io.PrintWriter(sw));
            code = cl.execute("serve", "--port", String.valueOf(port));
            assertThat(code).isEqualTo(2);
            assertThat(sw.toString()).contains("--port " + port + ": 127.0.0.1:" + port + " is in use")
                    .contains("--port 0 for a free one");
            System.setErr(old);
            err.close();
        }
        java.io.StringWriter sw = new java.io.StringWriter();
        picocli.CommandLine cl = LabCommand.newCommandLine();
        cl.setErr(new java.io.PrintWriter(sw));
        assertThat(cl.execute("serve", "--port", "70000")).isEqualTo(2);
        assertThat(sw.toString()).contains("--port: expected 0 (any free port) to 65535 (got 70000)");
    }
}
