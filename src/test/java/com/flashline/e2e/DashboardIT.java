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
import org.openqa.selenium.TimeoutException;
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
 * good and a malformed firmware, creates a recipe and makes it the station default; drives a port
 * into its interlock with a recipe that cannot fit the chip (a viewer sees why, an operator enables
 * it) and the station into the yield guard's pause (an operator enables auto-start, the waiting
 * boards are flashed); signs out. The work-order case waits for the work-order API.
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

    /** The failing port of the interlock cases. */
    private static final String FAILING_PORT = "sim-8";
    private static final By FAILING_TILE = By.cssSelector(".tile[data-port='" + FAILING_PORT + "']");
    /** Long enough for a few jobs of the demo to run one after the other. */
    private static final Duration SLOW_WAIT = Duration.ofSeconds(120);

    private PackagedJar service;
    private FlashLineApi api;
    /** A recipe whose image lies past the F407's flash: every job with it fails (IMAGE_OUTSIDE_DEVICE). */
    private long failingRecipe;
    private WebDriver browser;
    private WebDriverWait wait;
    private Path profile;

    @BeforeAll
    void startServiceAndBrowser() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        Prerequisites.require(present ? null : "no " + CHROMIUM + " / " + CHROMEDRIVER + " on this machine:"
                + " install the Debian packages chromium and chromium-driver (.ci/run does)");
        service = PackagedJar.start(PackagedJar.locate(), Map.of(), "dashboard-it", Map.of(
                "spring.profiles.active", "demo",
                // A port is interlocked after two failed jobs in a row (the port cases), and
                // auto-start pauses when four of the station's last six jobs failed (the yield
                // guard case): the demo's one faulty board in twenty does neither by itself.
                "flashline.interlock.max-consecutive-failures", "2",
                "flashline.interlock.yield-window", "6",
                "flashline.interlock.min-yield", "0.5"));
        api = new FlashLineApi(service.baseUri(), service.adminPassword());
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
    void aPortInterlockedAfterFailedJobsShowsItsReasonAndAViewerGetsNoEnableAction() {
        long outside = api.uploadRawFirmware("outside-" + UUID.randomUUID() + ".bin", new byte[256], 0x0810_0000L);
        failingRecipe = api.createRecipe("outside-" + UUID.randomUUID().toString().substring(0, 8), outside);
        api.assignRecipe(FAILING_PORT, failingRecipe);
        api.plugBoard(FAILING_PORT); // its board's job fails, and so does the replacement's: two in a row

        signIn("viewer", "flashline-viewer");
        new WebDriverWait(browser, SLOW_WAIT).ignoring(StaleElementReferenceException.class).until(d ->
                "DISABLED".equals(tileFacts(FAILING_PORT).get("state")));
        // Later boards there may pass again once the port is enabled.
        api.clearRecipe(FAILING_PORT);
        Map<String, Object> tile = tileFacts(FAILING_PORT);
        assertThat(tile.get("state")).isEqualTo("DISABLED");
        assertThat((String) tile.get("text")).isEqualTo("disabled");
        assertThat((String) tile.get("reason")).contains("2 failed jobs in a row").contains("IMAGE_OUTSIDE_DEVICE");
        assertThat(tile.get("buttons")).isEqualTo(0L);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("work-order"), "no active work order"));
    }

    @Test
    @Order(6)
    void anOperatorEnablesTheInterlockedPortAndItsTileLeavesDisabled() {
        signIn("operator", "flashline-operator");
        By enable = By.cssSelector(".tile[data-port='" + FAILING_PORT + "'][data-state=DISABLED] button.enable-port");
        wait.until(ExpectedConditions.elementToBeClickable(enable));
        Map<String, Object> tile = tileFacts(FAILING_PORT);
        assertThat((String) tile.get("reason")).contains("failed jobs in a row");
        assertThat(tile.get("button")).isEqualTo("Enable");
        screenshot("station-port-disabled");
        click(enable);
        wait.until(d -> !"DISABLED".equals(tileFacts(FAILING_PORT).get("state")));
        assertThat(tileFacts(FAILING_PORT).get("buttons")).isEqualTo(0L);
        assertThat(api.port(FAILING_PORT).state()).isNotEqualTo("DISABLED");
    }

    @Test
    @Order(7)
    void aLowYieldPausesAutoStartWithABannerAndAnOperatorEnablesItAgain() {
        long good = api.defaultRecipeId();
        signIn("viewer", "flashline-viewer");
        // Every port's next board fails now, until the guard pauses auto-start.
        api.configureStation(failingRecipe, true);
        try {
            String banner = new WebDriverWait(browser, SLOW_WAIT).ignoring(StaleElementReferenceException.class)
                    .until(d -> d.findElements(By.id("auto-start-paused")).stream().map(WebElement::getText)
                            .filter(text -> text.contains("of the last 6 jobs is under 50 %")).findFirst().orElse(null));
            assertThat(banner).contains("Auto-start paused").contains("jobs started by hand still run");
            assertThat(browser.findElements(By.cssSelector("#auto-start-paused button"))).isEmpty();
        } finally {
            api.configureStation(good, true);
        }

        signIn("operator", "flashline-operator");
        // The jobs that ran when it paused end, the boards put on since wait and say why.
        WebDriverWait slow = new WebDriverWait(browser, SLOW_WAIT);
        slow.ignoring(StaleElementReferenceException.class);
        slow.until(d -> d.findElements(By.cssSelector(".tile[data-state=FLASHING], .tile[data-state=QUEUED]")).isEmpty()
                && d.findElements(By.cssSelector(".tile .reason")).stream()
                        .anyMatch(r -> r.getText().startsWith("auto-start paused: yield")));
        screenshot("station-auto-start-paused");
        By enable = By.cssSelector("#auto-start-paused button.enable-auto-start");
        assertThat(wait.until(ExpectedConditions.elementToBeClickable(enable)).getText()).isEqualTo("Enable auto-start");
        click(enable);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("auto-start-paused")));
        // The boards that waited are queued and flashed.
        slow.until(d -> !d.findElements(By.cssSelector(".tile[data-state=FLASHING]")).isEmpty());
    }

    /**
     * The active work order on the station view: created and activated through the REST API, its
     * number, product, lot and count shown, the count following the passed jobs without a reload.
     */
    @Test
    @Order(8)
    void showsTheActiveWorkOrderWithItsCountGrowingAsBoardsPass() {
        String number = "WO-" + UUID.randomUUID().toString().substring(0, 8);
        long id = api.createWorkOrder(number, "Blinky board", "LOT-42", api.defaultRecipeId(), 1000);
        api.activateWorkOrder(id); // the token's role (ENGINEER) includes OPERATOR
        signIn("operator", "flashline-operator");
        WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
                "#work-order[data-state=ACTIVE]")));
        assertThat(panel.findElement(By.cssSelector(".wo-number .value")).getText()).isEqualTo(number);
        assertThat(panel.findElement(By.cssSelector(".wo-product .value")).getText()).isEqualTo("Blinky board");
        assertThat(panel.findElement(By.cssSelector(".wo-lot .value")).getText()).isEqualTo("LOT-42");
        // The demo keeps passing boards: the count follows the finished jobs without a reload.
        new WebDriverWait(browser, SLOW_WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
            String count = d.findElement(By.cssSelector("#work-order .wo-count .value")).getText();
            return count.endsWith(" / 1000") && Integer.parseInt(count.substring(0, count.indexOf(' '))) >= 2;
        });
        screenshot("station-work-order");
    }

    @Test
    @Order(10)
    void signsOut() {
        browser.get(service.baseUri() + "/");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#sign-out button"))).click();
        wait.until(ExpectedConditions.urlContains("/login"));
        browser.get(service.baseUri() + "/");
        wait.until(ExpectedConditions.urlContains("/login"));
        screenshot("signed-out");
    }

    /** Signs out whoever is signed in (drops the session) and signs in as {@code username}. */
    private void signIn(String username, String password) {
        browser.manage().deleteAllCookies();
        browser.get(service.baseUri() + "/");
        wait.until(ExpectedConditions.urlContains("/login"));
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        try {
            wait.until(ExpectedConditions.textToBe(By.id("who"), username));
        } catch (TimeoutException e) {
            // Where the browser ended up instead of the dashboard: once, in CI, it was not there
            // 30 s after a sign-in that passes on every rerun.
            screenshot("sign-in-failed-" + username);
            throw new AssertionError("signed in as " + username + " but the dashboard did not show it; the browser is at "
                    + browser.getCurrentUrl() + ", titled '" + browser.getTitle() + "', showing: "
                    + abbreviate(browser.findElement(By.tagName("body")).getText()), e);
        }
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "live"));
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }

    /** A tile's state, state text, reason, buttons and first button's text, read in one go (tiles are redrawn as events arrive). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> tileFacts(String port) {
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("""
                const tile = document.querySelector(`.tile[data-port='${arguments[0]}']`);
                if (!tile) return {};
                const reason = tile.querySelector('.reason');
                const button = tile.querySelector('button');
                return {state: tile.dataset.state, text: tile.querySelector('.state .text').textContent,
                        reason: reason ? reason.textContent : null, buttons: tile.querySelectorAll('button').length,
                        button: button ? button.textContent : null};
                """, port);
    }

    /** Clicks the element, found again when a redraw replaced it before the click. */
    private void click(By locator) {
        wait.until(d -> {
            d.findElement(locator).click();
            return true;
        });
    }

    // Read in the page in one go: a running tile's content is redrawn every second and on every
    // progress event, so a progress element found first may be gone when it is read.
    private double progress(WebElement tile) {
        return ((Number) ((JavascriptExecutor) browser).executeScript(
                "return arguments[0].querySelector('progress').value", tile)).doubleValue();
    }

    private double max(WebElement tile) {
        return ((Number) ((JavascriptExecutor) browser).executeScript(
                "return arguments[0].querySelector('progress').max", tile)).doubleValue();
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
