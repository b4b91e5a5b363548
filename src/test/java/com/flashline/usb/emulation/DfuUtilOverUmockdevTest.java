package com.flashline.usb.emulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.support.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** dfu-util, an independent libusb program, as a client of the emulated devices. */
class DfuUtilOverUmockdevTest {

    private UmockdevBridge bridge;

    @BeforeEach
    void startBridge() {
        Prerequisites.require(UmockdevBridge.unavailableReason().map(reason -> "umockdev bridge unavailable: " + reason));
        Prerequisites.require(dfuUtil() != null ? null : "dfu-util is not installed");
        bridge = UmockdevBridge.start();
    }

    @AfterEach
    void stopBridge() {
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void dfuUtilListsEveryPluggedDeviceWithItsAltNamesAndSerial() throws Exception {
        bridge.plug("1-4", new FakeDfuDevice("3276385A3336"));
        bridge.plug("1-5.2", new FakeDfuDevice("206A33854D4E"));

        List<String> found = dfuUtilList().stream().filter(l -> l.startsWith("Found DFU")).toList();

        assertThat(found).hasSize(4);
        assertThat(found).anySatisfy(l -> assertThat(l)
                .contains("[0483:df11]", "ver=2200", "path=\"1-4\"", "alt=0",
                        "name=\"" + FakeDfuDevice.STM32F4_ALT_NAMES.get(0) + "\"", "serial=\"3276385A3336\""));
        assertThat(found).anySatisfy(l -> assertThat(l)
                .contains("path=\"1-5.2\"", "alt=1", "name=\"" + FakeDfuDevice.STM32F4_ALT_NAMES.get(1) + "\"",
                        "serial=\"206A33854D4E\""));
    }

    @Test
    void anUnpluggedDeviceIsNoLongerListed() throws Exception {
        bridge.plug("1-4", new FakeDfuDevice("3276385A3336"));
        bridge.plug("1-6", new FakeDfuDevice("111111111111"));
        bridge.unplug("1-4");

        List<String> found = dfuUtilList().stream().filter(l -> l.startsWith("Found DFU")).toList();

        assertThat(found).hasSize(2).allSatisfy(l -> assertThat(l).contains("path=\"1-6\"", "serial=\"111111111111\""));
    }

    private List<String> dfuUtilList() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(dfuUtil().toString(), "-l").redirectErrorStream(true);
        builder.environment().putAll(bridge.environment());
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("dfu-util finished").isTrue();
        assertThat(p.exitValue()).as("dfu-util exit code; output:\n%s\nbridge:\n%s", output, bridge.stderrTail())
                .isZero();
        return output.lines().toList();
    }

    static Path dfuUtil() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "dfu-util");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
