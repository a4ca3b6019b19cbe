package dev.gantry.lab.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live lab in a real browser: Debian's {@code chromium}, headless, driven through
 * {@code chromium-driver}. Starts a run on ring8, waits until D's heat map and the modes counter
 * change, saves screenshots under {@code target/lab-browser/}, draws a custom mixture with the
 * mouse, and checks that an out-of-range learning rate shows the server's reason on the page.
 *
 * <p>Skipped when chromium or its driver is missing, unless {@code GANTRY_REQUIRE_BROWSER=1} (CI
 * sets it; {@code .ci/run} installs both), where it fails instead. {@code GANTRY_CHROMIUM} names
 * another browser binary.
 */
class LabBrowserTest {

    static final Path SHOTS = Path.of("target", "lab-browser");
    /** Selenium 4.27 warns that it has no DevTools bindings for chromium 156; the test uses none. */
    static final java.util.logging.Logger SELENIUM = java.util.logging.Logger.getLogger("org.openqa.selenium");

    static {
        SELENIUM.setLevel(java.util.logging.Level.SEVERE);
    }

    static String find(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/lib/chromium").split(":")) {
            File f = new File(dir, name);
            if (!dir.isEmpty() && f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    static JavascriptExecutor js(WebDriver d) {
        return (JavascriptExecutor) d;
    }

    /** A checksum of the heat map canvas's pixels. */
    static long heatHash(WebDriver d) {
        return ((Number) js(d).executeScript(
                "const c = document.getElementById('heat');"
                        + "const p = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "let h = 0; for (let i = 0; i < p.length; i += 4) { h = (h * 31 + p[i] + 7 * p[i + 1] + 13 * p[i + 2]) | 0; }"
                        + "return h;")).longValue();
    }

    static int step(WebDriver d) {
        return Integer.parseInt(d.findElement(By.id("step-count")).getText().trim());
    }

    /** The modes counter "N / K" as {N, K}; null while it shows none. */
    static int[] modes(WebDriver d) {
        String t = d.findElement(By.id("modes")).getText().trim();
        String[] p = t.split(" / ");
        return p.length == 2 ? new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])} : null;
    }

    static <T> T await(WebDriver d, int seconds, String what, Function<WebDriver, T> condition) {
        // Seconds of a patient clock: minutes the machine freezes this process for do not count.
        return new WebDriverWait(d, Duration.ofSeconds(seconds), Duration.ofMillis(100), new PatientClock(),
                org.openqa.selenium.support.ui.Sleeper.SYSTEM_SLEEPER).withMessage(what).until(condition);
    }

    static void shot(WebDriver d, String name) throws Exception {
        Files.createDirectories(SHOTS);
        byte[] png = ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        Files.write(SHOTS.resolve(name), png);
    }

    @Test
    void aRunOnRing8ChangesTheHeatMapAndCapturesModesInTheBrowser(@TempDir Path profile) throws Exception {
        // GANTRY_CHROMIUM names another browser binary (or a missing one, to see the skip).
        String chromium = System.getenv("GANTRY_CHROMIUM") != null
                ? (new File(System.getenv("GANTRY_CHROMIUM")).canExecute() ? System.getenv("GANTRY_CHROMIUM") : null)
                : find("chromium");
        String driverPath = find("chromedriver");
        if (chromium == null || driverPath == null) {
            String why = "chromium" + (chromium == null ? "" : "-driver") + " is not installed (apt-get install chromium chromium-driver)";
            if ("1".equals(System.getenv("GANTRY_REQUIRE_BROWSER"))) {
                throw new AssertionError("GANTRY_REQUIRE_BROWSER=1 but " + why);
            }
            System.err.println("LabBrowserTest skipped: " + why);
            Assumptions.abort(why);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1400,950");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driverPath))
                .usingAnyFreePort().build();
        try (LabServer server = LabServer.start(0)) {
            WebDriver d = new ChromeDriver(service, options);
            try {
                d.get(server.url());
                await(d, 30, "the page draws its first frame",
                        x -> x.findElement(By.tagName("body")).getAttribute("data-frames") != null);
                new Select(d.findElement(By.id("mixture"))).selectByValue("ring8");
                new Select(d.findElement(By.id("speed"))).selectByValue("20");
                d.findElement(By.id("reset")).click();
                await(d, 30, "the speed and the reset reach the server", x -> "20".equals(
                        new Select(x.findElement(By.id("speed"))).getFirstSelectedOption().getAttribute("value")) && step(x) == 0
                        && modes(x) != null);
                long firstHeat = heatHash(d);
                int[] firstModes = modes(d);
                assertThat(firstModes[1]).isEqualTo(8);

                d.findElement(By.id("play")).click();
                await(d, 45, "D's heat map changes and the modes counter shows captured modes",
                        x -> step(x) > 0 && heatHash(x) != firstHeat && modes(x) != null && modes(x)[0] > 0);
                assertThat(d.findElement(By.id("state")).getText()).isEqualTo("playing");
                assertThat(d.findElement(By.id("play")).getText()).isEqualTo("pause");
                shot(d, "ring8.png");
                d.findElement(By.id("play")).click();
                await(d, 15, "pause", x -> "paused".equals(x.findElement(By.id("state")).getText()));

                // An out-of-range learning rate: the server's reason, on the page.
                WebElement lr = d.findElement(By.id("lr"));
                lr.clear();
                lr.sendKeys("5");
                d.findElement(By.id("reset")).click();
                WebElement error = await(d, 15, "the error is shown", x -> {
                    WebElement e = x.findElement(By.id("error"));
                    return e.isDisplayed() ? e : null;
                });
                assertThat(error.getText()).isEqualTo("lr: expected a learning rate in [1.0E-6, 0.1] (got 5.0)");
                shot(d, "bad-lr.png");

                // A mixture drawn with the mouse: three clicks on the plane, then reset.
                lr.clear();
                lr.sendKeys("0.001");
                new Select(d.findElement(By.id("mixture"))).selectByValue("custom");
                WebElement plane = d.findElement(By.id("overlay"));
                for (int[] at : List.of(new int[] {-120, 0}, new int[] {120, 0}, new int[] {0, -120})) {
                    new Actions(d).moveToElement(plane, at[0], at[1]).click().perform();
                }
                assertThat(d.findElement(By.id("centre-count")).getText()).isEqualTo("3");
                d.findElement(By.id("reset")).click();
                await(d, 30, "the custom mixture's three modes", x -> modes(x) != null && modes(x)[1] == 3 && step(x) == 0);
                assertThat(d.findElement(By.id("error")).isDisplayed()).isFalse();
                // Clicked 120 px left, right and above the centre of a plane of half-width 2: (-1, 0), (1, 0), (0, 1).
                com.fasterxml.jackson.databind.JsonNode at = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(server.session().snapshot()).get("modes_at");
                double[][] expected = {{-1, 0}, {1, 0}, {0, 1}};
                assertThat(at).hasSize(3);
                for (int i = 0; i < 3; i++) {
                    assertThat(at.get(i).get(0).asDouble()).as("centre %d, x", i).isCloseTo(expected[i][0], org.assertj.core.data.Offset.offset(0.02));
                    assertThat(at.get(i).get(1).asDouble()).as("centre %d, y", i).isCloseTo(expected[i][1], org.assertj.core.data.Offset.offset(0.02));
                }
                shot(d, "custom.png");
            } finally {
                d.quit();
            }
        }
    }
}
