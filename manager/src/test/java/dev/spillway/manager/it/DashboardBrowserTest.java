package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spillway.agent.config.ConfigValues;
import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium: every host appears and the page follows the manager live. Needs Debian's
 * {@code chromium} and {@code chromium-driver} (installed by {@code .ci/run}); without them this test fails and
 * says so, because a skipped browser test would hide a broken dashboard.
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
            InProcessAgent.start(dir, "web-1", "queueDelayMillis=20\ncpu=0.3\n"),
            InProcessAgent.start(dir, "web-2", "queueDelayMillis=30\ncpu=0.2\nresourceScope=cgroup-v1\nrequestRate=150\n"),
            InProcessAgent.start(dir, "web-3", "queueDelayMillis=10\ncpu=0.1\n")};
        Map<String, String> m = new HashMap<>();
        m.put("http.port", "0");
        m.put("jmx.port", String.valueOf(ChildAgent.freePort()));
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
        driver = new ChromeDriver(service, options);
        driver.get(manager.httpUrl() + "/");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);   // rows are rebuilt every second

        wait.until(d -> d.findElements(By.cssSelector("#hosts tr[data-host]")).size() == 3);
        List<String> shown = driver.findElements(By.cssSelector("#hosts tr[data-host]")).stream()
                .map(e -> e.getAttribute("data-host")).toList();
        assertEquals(List.of("web-1", "web-2", "web-3"), shown);
        wait.until(d -> "ok".equals(stateOf("web-1")));

        int updates = Integer.parseInt(driver.findElement(By.id("status")).getAttribute("data-updates"));
        wait.until(d -> Integer.parseInt(d.findElement(By.id("status")).getAttribute("data-updates")) > updates + 1);

        // Make web-1 hot: the page must show the overload and its directive without a reload.
        agents[0].setFigures("queueDelayMillis=400\ncpu=0.9\nrequestRate=250\n");
        wait.until(d -> "overloaded".equals(stateOf("web-1")));
        wait.until(d -> row("web-1").findElement(By.cssSelector("td.directive")).getText().startsWith("redirect"));
        // where each host's CPU was measured, in the CPU cell's tooltip
        wait.until(d -> row("web-2").findElement(By.cssSelector("td.cpu")).getAttribute("title").contains("cgroup-v1"));
        wait.until(d -> row("web-1").findElement(By.cssSelector("td.cpu")).getAttribute("title").contains("machine"));
        wait.until(d -> row("web-1").findElement(By.cssSelector("td.targets")).getText().startsWith("web-3"));
        wait.until(d -> d.findElement(By.id("log")).getText().contains("web-1 may spill to web-3"));
        wait.until(d -> row("web-1").findElement(By.cssSelector("td.capacity")).getText().startsWith("200/s"));
        wait.until(d -> !row("web-1").findElements(By.cssSelector("svg.spark polyline")).isEmpty());
    }

    private WebElement row(String id) {
        return driver.findElement(By.cssSelector("#hosts tr[data-host='" + id + "']"));
    }

    private String stateOf(String id) {
        return row(id).findElement(By.cssSelector("span.state")).getText();
    }
}
