package com.flashline.demo;

import com.flashline.audit.Actor;
import com.flashline.catalog.CreateRecipeRequest;
import com.flashline.catalog.Firmware;
import com.flashline.catalog.FirmwareCatalog;
import com.flashline.catalog.Recipe;
import com.flashline.catalog.RecipeService;
import com.flashline.flashing.EraseMode;
import com.flashline.station.StationService;
import com.flashline.station.UpdateStationRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The demo profile's station: the bundled sample firmware (the blinky program of the test corpus,
 * flash only: option bytes are a recipe's business, not the image's) in the catalog, a serialising recipe for
 * it as the station default, and auto-start on, so the simulated boards are flashed as they arrive.
 * Runs while the context starts, before the simulated fixture puts its first boards on the ports;
 * idempotent, so restarting the demo on the same database changes nothing.
 */
@Component
@Profile("demo")
class DemoSetup implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);
    static final String FIRMWARE = "demo/blinky-f407.hex";
    static final String RECIPE = "demo-blinky-f407";
    /** The serial record lives in flash sector 1 (16 KiB at 0x08004000), clear of the program in sector 0. */
    static final long SERIAL_ADDRESS = 0x0800_4000L;
    /**
     * Constant data behind the program, from sector 2 on (0x08008000), so that a job at datasheet
     * timing takes a few seconds and its progress can be watched on the dashboard.
     */
    static final long DATA_ADDRESS = 0x0800_8000L;
    static final int DATA_BYTES = 256 * 1024;

    private final FirmwareCatalog catalog;
    private final RecipeService recipes;
    private final StationService station;

    DemoSetup(FirmwareCatalog catalog, RecipeService recipes, StationService station) {
        this.catalog = catalog;
        this.recipes = recipes;
        this.station = station;
    }

    @Override
    public void afterPropertiesSet() {
        Firmware firmware = catalog.upload(DemoImage.withData(bundledFirmware(), DATA_ADDRESS, DATA_BYTES),
                "blinky-f407.hex", "blinky-f407", "1.0.0", null, Actor.SYSTEM);
        Recipe recipe = recipes.findByNameOrId(RECIPE).orElseGet(() -> recipes.create(new CreateRecipeRequest(
                RECIPE, firmware.id(), EraseMode.SECTORS, true,
                new CreateRecipeRequest.Serial(SERIAL_ADDRESS, "FL-{seq:06d}", 1L, 16), null, false, true),
                Actor.SYSTEM));
        station.update(new UpdateStationRequest(recipe.id(), true), Actor.SYSTEM);
        log.info("demo: firmware {} ({}), recipe '{}' (id {}) is the station default, auto-start on",
                firmware.name(), firmware.sha256().substring(0, 12), recipe.name(), recipe.id());
    }

    private static byte[] bundledFirmware() {
        try (InputStream in = new ClassPathResource(FIRMWARE).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the demo firmware " + FIRMWARE + " is missing from the classpath", e);
        }
    }
}
