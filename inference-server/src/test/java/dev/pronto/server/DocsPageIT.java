package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code /docs} page in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, installed by {@code .ci/install-test-deps}): it loads Swagger UI from
 * the server itself, a user fills a V2 request for the bundled iris model, executes it, and the
 * prediction shows on the page. Skipped where no chromedriver is installed. Leaves a screenshot in
 * {@code target/docs-page.png}.
 */
class DocsPageIT {

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String SETOSA = """
            {"id": "from-the-browser", "inputs": [
              {"name": "sepal_length", "shape": [1], "datatype": "FP64", "data": [5.1]},
              {"name": "sepal_width", "shape": [1], "datatype": "FP64", "data": [3.5]},
              {"name": "petal_length", "shape": [1], "datatype": "FP64", "data": [1.4]},
              {"name": "petal_width", "shape": [1], "datatype": "FP64", "data": [0.2]}]}""";

    @TempDir
    static Path root;
    @TempDir
    static Path profile;
    private static TestServer server;
    private static WebDriver browser;

    @BeforeAll
    static void start() {
        assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "chromium and chromium-driver are not installed (.ci/install-test-deps installs them)");
        server = TestServer.iris(root, ServerSettings.defaults());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1400,2200");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aUserSendsAPredictionFromTheDocsPageAndReadsTheAnswer() throws Exception {
        browser.get(server.base + "/docs");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        WebElement operation = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("operations-V2-v2Infer")));
        assertThat(browser.getTitle()).isEqualTo("Pronto API");

        operation.findElement(By.cssSelector(".opblock-summary-control")).click();
        WebElement name = wait.until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(operation,
                By.cssSelector("input[placeholder='name']"))).get(0);
        name.clear();
        name.sendKeys("iris");
        WebElement body = operation.findElement(By.cssSelector("textarea.body-param__text"));
        body.clear();
        body.sendKeys(SETOSA);
        operation.findElement(By.cssSelector("button.execute")).click();

        WebElement status = wait.until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(operation,
                By.cssSelector(".live-responses-table tbody tr.response td.response-col_status"))).get(0);
        WebElement answer = operation.findElement(By.cssSelector(
                ".live-responses-table tbody tr.response td.response-col_description .highlight-code pre"));
        // the screenshot shows the answer: look at it when this test changes
        ((ChromeDriver) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", answer);
        screenshot();
        assertThat(status.getText()).isEqualTo("200");
        JsonNode response = ServerApp.MAPPER.readTree(answer.getText());
        assertThat(response.get("id").asText()).isEqualTo("from-the-browser");
        assertThat(response.get("outputs").get(0).get("name").asText()).isEqualTo("species");
        assertThat(response.get("outputs").get(0).get("data").get(0).asInt()).isZero();
    }

    private static void screenshot() throws Exception {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", "docs-page.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
