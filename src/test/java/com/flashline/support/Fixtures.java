package com.flashline.support;

import com.flashline.audit.Actor;
import com.flashline.catalog.CreateRecipeRequest;
import com.flashline.catalog.Firmware;
import com.flashline.catalog.FirmwareCatalog;
import com.flashline.catalog.Recipe;
import com.flashline.catalog.RecipeService;
import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.station.DeviceSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Creates firmware and recipes with unique content and names, so tests sharing a context never collide. */
@Component
public class Fixtures {

    public static final long FLASH = 0x0800_0000L;
    public static final long SERIAL_ADDRESS = 0x080F_FF00L;
    /** The actor of what tests do through the services: the user tests sign in as ({@link FlashLineSpringTest#USER}). */
    public static final Actor TESTER = Actor.user(FlashLineSpringTest.USER);

    private final FirmwareCatalog firmware;
    private final RecipeService recipes;

    public Fixtures(FirmwareCatalog firmware, RecipeService recipes) {
        this.firmware = firmware;
        this.recipes = recipes;
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A 1 KiB raw binary at the flash start, different every call. */
    public Firmware firmware() {
        byte[] content = new byte[1024];
        byte[] tag = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tag, 0, content, 0, tag.length);
        return firmware.upload(content, unique("app") + ".bin", null, "1.0.0", FLASH, TESTER);
    }

    public Recipe recipe() {
        return recipes.create(new CreateRecipeRequest(unique("recipe"), firmware().id(), null, null, null, null, null, null), TESTER);
    }

    public Recipe serialisingRecipe(String format, long start) {
        return recipes.create(new CreateRecipeRequest(unique("recipe"), firmware().id(), null, null,
                new CreateRecipeRequest.Serial(SERIAL_ADDRESS, format, start, null), null, null, null), TESTER);
    }

    public static DeviceSnapshot device(String port, String usbSerial) {
        UsbDeviceInfo usb = new UsbDeviceInfo(UsbDeviceInfo.ST_VENDOR_ID, UsbDeviceInfo.ST_DFU_PRODUCT_ID, 0x2200,
                "STMicroelectronics", "STM32  BOOTLOADER", usbSerial, port);
        MemoryLayout flash = MemoryLayout.parse("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg");
        return new DeviceSnapshot(usb, List.of(flash), null, Instant.parse("2026-01-01T00:00:00Z"));
    }
}
