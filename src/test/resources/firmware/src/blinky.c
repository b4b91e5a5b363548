/* A tiny Cortex-M4 program for the firmware reader corpus: vector table, reset handler that
 * copies initialised .data from flash (LMA) to RAM (VMA) and clears .bss, option bytes in a
 * section of their own so the image has a second, distant segment. */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;

volatile uint32_t blink_period = 0x00C0FFEEu;     /* .data: LMA in flash, VMA in RAM */
volatile uint8_t greeting[12] = "FlashLine!\n";
volatile uint32_t ticks;                           /* .bss */

void reset_handler(void);
void default_handler(void) { for (;;) { } }

__attribute__((section(".isr_vector"), used))
const uintptr_t vector_table[16] = {
    (uintptr_t) &_estack, (uintptr_t) reset_handler,
    (uintptr_t) default_handler, (uintptr_t) default_handler,
    (uintptr_t) default_handler, (uintptr_t) default_handler,
    (uintptr_t) default_handler, 0, 0, 0, 0,
    (uintptr_t) default_handler, (uintptr_t) default_handler, 0,
    (uintptr_t) default_handler, (uintptr_t) default_handler,
};

#ifndef NO_OPTION_BYTES
/* STM32F4 user option bytes (RDP level 0, default BOR, no write protection). */
__attribute__((section(".optbytes"), used))
const uint8_t option_bytes[16] = {
    0xEC, 0xAA, 0x13, 0x55, 0x00, 0x00, 0x00, 0x00, 0xFF, 0x0F, 0x00, 0xF0, 0x00, 0x00, 0x00, 0x00,
};
#endif

static void delay(uint32_t n) { while (n--) { __asm__ volatile ("nop"); } }

void reset_handler(void) {
    uint32_t *src = &_sidata;
    for (uint32_t *dst = &_sdata; dst < &_edata; ) { *dst++ = *src++; }
    for (uint32_t *dst = &_sbss; dst < &_ebss; ) { *dst++ = 0; }
    for (;;) {
        ticks++;
        delay(blink_period + greeting[ticks % sizeof greeting]);
    }
}
