package com.flashline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.flashline.support.Prerequisites;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium through chromedriver, against the
 * packaged jar running the demo profile (8 simulated ports, jobs of a few seconds, auto-start).
 * Signs in as the demo's engineer, watches a job run and pass on the station view, uploads a
 * good and a malformed firmware, creates a recipe and makes it the station default, signs out.
 * Screenshots go to {@code target/dashboard/}.
 *
 * <p>Skipped where chromium or chromedriver is missing, except on CI ({@code CI=true}), where a
 * missing browser fails the test: {@code .ci/run} installs both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("user.dir"), "target", "dashboard");

    private PackagedJar service;
    private WebDriver browser;
    private WebDriverWait wait;
    private Path profile;

    @BeforeAll
    void startServiceAndBrowser() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        Prerequisites.require(present ? null : "no " + CHROMIUM + " / " + CHROMEDRIVER + " on this machine:"
                + " install the Debian packages chromium and chromium-driver (.ci/run does)");
        service = PackagedJar.start(PackagedJar.locate(), Map.of(), "dashboard-it",
                Map.of("spring.profiles.active", "demo"));
        profile = Files.createTempDirectory("flashline-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--window-size=1280,800", "--user-data-dir=" + profile);
        // An explicit driver, so that Selenium Manager never looks for (or downloads) one.
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(driver, options);
        wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Order(1)
    void signsInAndSeesEightPortTiles() {
        browser.get(service.baseUri() + "/");
        wait.until(ExpectedConditions.urlContains("/login"));
        browser.findElement(By.id("username")).sendKeys("engineer");
        browser.findElement(By.id("password")).sendKeys("flashline-engineer");
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        wait.until(d -> d.findElements(By.cssSelector(".tile")).size() == 8);
        assertThat(browser.getCurrentUrl()).doesNotContain("swagger");
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("engineer");
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "live"));
        // Read in one go: the tiles are redrawn as events arrive.
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('.tile')].map(t => t.dataset.port)");
        assertThat(labels).containsExactly("sim-1", "sim-2", "sim-3", "sim-4", "sim-5", "sim-6", "sim-7", "sim-8");
    }

    @Test
    @Order(2)
    void watchesAJobRunWithItsProgressMovingAndPass() {
        // One board in twenty is faulty in the demo: follow jobs until one passes.
        for (int tries = 0; tries < 5; tries++) {
            WebElement tile = wait.until(d -> d.findElements(By.cssSelector(".tile[data-state=FLASHING]")).stream()
                    .filter(t -> progress(t) > 0 && progress(t) < max(t))
                    .findFirst().orElse(null));
            String port = tile.getDomAttribute("data-port");
            String job = tile.getDomAttribute("data-job");
            double seen = progress(tile);
            screenshot("station-running");
            By sameTile = By.cssSelector(".tile[data-port='" + port + "']");
            wait.until(d -> !job.equals(d.findElement(sameTile).getDomAttribute("data-job"))
                    || progress(d.findElement(sameTile)) > seen);
            wait.until(d -> !job.equals(d.findElement(sameTile).getDomAttribute("data-job")));
            String last = wait.until(d -> {
                String text = d.findElement(sameTile).findElement(By.cssSelector(".last")).getText();
                return text.startsWith("#" + job + " ") ? text : null;
            });
            if (last.startsWith("#" + job + " PASSED")) {
                screenshot("station");
                return;
            }
        }
        fail("no job passed among five watched");
    }

    @Test
    @Order(3)
    void uploadsAFirmwareAndSeesItsSegmentsThenAMalformedOneAndSeesWhere() throws IOException {
        browser.get(service.baseUri() + "/#/firmware");
        String good = demoProgram();
        WebElement file = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("firmware-file")));
        file.sendKeys(write("app-" + UUID.randomUUID() + ".hex", good).toString());
        browser.findElement(By.cssSelector("#upload-title ~ button[type=submit]")).click();
        WebElement segments = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#upload-result table.segments tbody tr")));
        assertThat(segments.getText()).contains("0x08000000");
        screenshot("firmware-uploaded");

        String[] lines = good.split("\n");
        // Line 2's checksum made wrong.
        String line = lines[1].strip();
        lines[1] = line.substring(0, line.length() - 2) + (line.endsWith("00") ? "01" : "00");
        browser.findElement(By.id("firmware-file")).sendKeys(
                write("bad-" + UUID.randomUUID() + ".hex", String.join("\n", lines)).toString());
        browser.findElement(By.cssSelector("#upload-title ~ button[type=submit]")).click();
        WebElement error = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#upload-result .upload-error")));
        assertThat(error.getText()).contains("line 2").containsIgnoringCase("checksum");
        screenshot("firmware-malformed");
    }

    @Test
    @Order(4)
    void createsARecipeAndMakesItTheStationDefault() {
        browser.get(service.baseUri() + "/#/firmware");
        String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
        WebElement form = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("recipe-title")))
                .findElement(By.xpath(".."));
        form.findElement(By.name("name")).sendKeys(name);
        new Select(form.findElement(By.name("firmwareId"))).selectByIndex(1);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recipe-result"), "created"));

        // The page reloads with the new recipe among the station's choices. Select it and save in
        // the form that holds the select, again if the page was drawn anew in between (the form
        // found at first is then detached, and the station keeps its old default).
        String expected = "default recipe ";
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement select = d.findElements(By.cssSelector("select[name=defaultRecipeId]")).stream().findFirst()
                    .orElse(null);
            if (select == null) {
                return false;
            }
            Select defaultRecipe = new Select(select);
            String option = defaultRecipe.getOptions().stream().map(WebElement::getText)
                    .filter(text -> text.endsWith(" " + name)).findFirst().orElse(null);
            if (option == null) {
                return false;
            }
            String id = option.substring(1, option.indexOf(' '));
            defaultRecipe.selectByVisibleText(option);
            WebElement stationForm = select.findElement(By.xpath("ancestor::form"));
            stationForm.findElement(By.cssSelector("button[type=submit]")).click();
            WebElement result = stationForm.findElement(By.id("station-result"));
            return new WebDriverWait(d, Duration.ofSeconds(5)).ignoring(StaleElementReferenceException.class)
                    .until(x -> result.getText().contains(expected) ? result.getText() : null)
                    .contains(expected + id + ",");
        });
        screenshot("recipe-default");
    }

    @Test
    @Order(5)
    void signsOut() {
        browser.get(service.baseUri() + "/");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#sign-out button"))).click();
        wait.until(ExpectedConditions.urlContains("/login"));
        browser.get(service.baseUri() + "/");
        wait.until(ExpectedConditions.urlContains("/login"));
        screenshot("signed-out");
    }

    private static double progress(WebElement tile) {
        return Double.parseDouble(tile.findElement(By.tagName("progress")).getDomProperty("value"));
    }

    private static double max(WebElement tile) {
        return Double.parseDouble(tile.findElement(By.tagName("progress")).getDomProperty("max"));
    }

    private void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(profile.resolve(name), content, StandardCharsets.US_ASCII);
    }

    private static String demoProgram() throws IOException {
        try (InputStream in = DashboardIT.class.getResourceAsStream("/demo/blinky-f407.hex")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
