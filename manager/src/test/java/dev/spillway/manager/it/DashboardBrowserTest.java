package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spillway.settings.ConfigValues;
import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium: every host appears, the page follows the manager live from its event stream
 * (no polling), plots carry time axes and units, and the flow picture shows who may move requests to whom. Needs
 * Debian's {@code chromium} and {@code chromium-driver} (installed by {@code .ci/run}); without them this test
 * fails and says so, because a skipped browser test would hide a broken dashboard. Leaves a screenshot in
 * {@code target/dashboard.png} (the README's picture is one of these).
 */
class DashboardBrowserTest {
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String CHROMIUM = "/usr/bin/chromium";

    private Manager manager;
    private WebDriver driver;
    private InProcessAgent[] agents;

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (manager != null) {
            manager.close();
        }
        if (agents != null) {
            for (InProcessAgent a : agents) {
                a.close();
            }
        }
    }

    @Test
    void everyHostIsShownAndThePageUpdates() throws Exception {
        if (!new File(CHROMEDRIVER).canExecute() || !new File(CHROMIUM).canExecute()) {
            fail("the dashboard test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": apt-get install -y chromium chromium-driver (.ci/run does this)");
        }
        Path dir = Files.createTempDirectory("spillway-ui");
        agents = new InProcessAgent[] {
            InProcessAgent.start(dir, "web-1", "queueDelayMillis=20\nsystemCpu=0.3\n"),
            InProcessAgent.start(dir, "web-2", "queueDelayMillis=30\nsystemCpu=0.2\nresourceScope=cgroup-v1\nrequestRate=150\n"),
            InProcessAgent.start(dir, "web-3", "queueDelayMillis=10\nsystemCpu=0.1\n")};
        Map<String, String> m = new HashMap<>();
        m.put("http.port", "0");
        m.put("jmx.port", "0");
        m.put("poll.interval", "250ms");
        m.put("hysteresis.enter", "2");
        m.put("hosts", "web-1,web-2,web-3");
        for (InProcessAgent a : agents) {
            m.put("host." + a.id + ".jmx", a.url);
        }
        manager = Manager.start(ManagerConfig.from(ConfigValues.of(m)), MBeanServerFactory.newMBeanServer());

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("spillway-chromium"));
        options.addArguments("--window-size=1400,1700");
        driver = new ChromeDriver(service, options);
        driver.get(manager.httpUrl() + "/");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);   // rows are rebuilt after every cycle

        // read inside the wait: the rows are replaced after every cycle, and a stale read is retried
        wait.until(d -> d.findElements(By.cssSelector("#hosts tr[data-host]")).size() == 3);
        wait.until(d -> d.findElements(By.cssSelector("#hosts tr[data-host]")).stream()
                .map(e -> e.getAttribute("data-host")).toList().equals(List.of("web-1", "web-2", "web-3")));
        wait.until(d -> "ok".equals(stateOf("web-1")));

        int updates = wait.until(d -> Integer.parseInt(d.findElement(By.id("status")).getAttribute("data-updates")));
        wait.until(d -> Integer.parseInt(d.findElement(By.id("status")).getAttribute("data-updates")) > updates + 1);

        // Make web-1 hot: the page must show the overload and its directive without a reload.
        agents[0].setFigures("queueDelayMillis=400\nsystemCpu=0.9\nrequestRate=250\n");
        wait.until(d -> "overloaded".equals(stateOf("web-1")));
        wait.until(d -> row("web-1").findElement(By.cssSelector("td.directive")).getText().startsWith("redirect"));
        // where each host's CPU was measured, in the CPU cell's tooltip
        wait.until(d -> row("web-2").findElement(By.cssSelector("td.cpu")).getAttribute("title").contains("cgroup-v1"));
        wait.until(d -> row("web-1").findElement(By.cssSelector("td.cpu")).getAttribute("title").contains("machine"));
        wait.until(d -> row("web-1").findElement(By.cssSelector("td.targets")).getText().startsWith("web-3"));
        wait.until(d -> d.findElement(By.id("log")).getText().contains("web-1 may spill to web-3"));
        wait.until(d -> row("web-1").findElement(By.cssSelector("td.capacity")).getText().startsWith("200/s"));
        wait.until(d -> !row("web-1").findElements(By.cssSelector("svg.spark polyline")).isEmpty());

        // the pool's figures too, for the workers plot
        agents[0].setFigures("queueDelayMillis=400\nsystemCpu=0.9\nrequestRate=250\nbusyWorkers=8\nmaxWorkers=8\n"
                + "waitingRequests=5\nmovedRate=40\nmovedTo=web-3:30,web-2:10\n");
        // per host plots, each with its unit and a clock-time axis, and the lines the page promises
        wait.until(d -> !plot("web-1", "req/s", "requests").isEmpty() && !plot("web-1", "req/s", "moved away").isEmpty()
                && !plot("web-1", "req/s", "budgets granted").isEmpty());
        wait.until(d -> !plot("web-1", "workers", "busy").isEmpty() && !plot("web-1", "workers", "pool size").isEmpty()
                && !plot("web-1", "workers", "waiting").isEmpty());
        // the page is redrawn after every cycle: read the labels inside the wait, which retries a stale read
        wait.until(d -> {
            List<String> labels = d.findElement(By.cssSelector(".host-plots[data-host='web-1'] svg[data-unit='req/s']"))
                    .findElements(By.tagName("text")).stream().map(WebElement::getText).toList();
            return labels.stream().anyMatch(t -> t.endsWith("req/s"))                      // the unit on the y axis
                    && labels.stream().anyMatch(t -> t.matches("\\d\\d:\\d\\d:\\d\\d")); // clock time on x
        });
        // who moves to whom: web-1 moves to web-3 (an arrow with its rate and the budget granted)
        wait.until(d -> d.findElements(By.cssSelector("#flow-picture path.flow[data-from='web-1'][data-to='web-3']"))
                .stream().anyMatch(p -> p.findElement(By.tagName("title")).getAttribute("textContent")
                        .matches("web-1 \u2192 web-3: 30/s of \\d+/s")));

        // pushed, not polled: the page was updated many times above without fetching any document of the API
        // (a fetch that completed is listed in resource timing; the event stream, still open, is not)
        @SuppressWarnings("unchecked")
        List<String> fetched = (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return performance.getEntriesByType('resource').map(function (e) { return e.name; });");
        assertTrue(fetched.stream().noneMatch(u -> u.contains("/api/")), fetched.toString());
        // a picture worth keeping: some seconds of web-1 moving requests in its plots
        wait.until(d -> plot("web-1", "req/s", "moved away").stream()
                .mapToInt(p -> p.getAttribute("points").split(" ").length).sum() >= 8);
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target/dashboard.png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private List<WebElement> plot(String host, String unit, String series) {
        return driver.findElements(By.cssSelector(".host-plots[data-host='" + host + "'] svg[data-unit='" + unit
                + "'] polyline[data-series='" + series + "']"));
    }

    private WebElement row(String id) {
        return driver.findElement(By.cssSelector("#hosts tr[data-host='" + id + "']"));
    }

    private String stateOf(String id) {
        return row(id).findElement(By.cssSelector("span.state")).getText();
    }
}
