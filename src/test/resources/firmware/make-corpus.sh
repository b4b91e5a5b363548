#!/bin/sh
# Regenerates the firmware reader test corpus from src/ with real tools:
#   arm-none-eabi-gcc/objcopy (GNU Arm Embedded 12.2), srec_cat (SRecord 1.64),
#   dfu-suffix (dfu-util 0.11), dfuse-pack (dfu-util 0.11).
# Run from anywhere; writes next to this script. Deterministic: no timestamps, no paths.
set -eu
cd "$(dirname "$0")"
export LC_ALL=C SOURCE_DATE_EPOCH=0

CFLAGS="-mcpu=cortex-m4 -mthumb -nostdlib -Os -ffreestanding -fno-common -g0 \
  -ffile-prefix-map=$PWD=. -Wl,--build-id=none -Wl,-T,src/stm32f407.ld"

# The full program: flash (vectors, code, .data load image) + option bytes at 0x1FFFC000.
arm-none-eabi-gcc $CFLAGS -o blinky.elf src/blinky.c
arm-none-eabi-objcopy -O ihex blinky.elf blinky.hex
arm-none-eabi-objcopy -O srec blinky.elf blinky.srec

# Flash-only artefacts (a raw binary cannot hold the distant option bytes).
arm-none-eabi-gcc $CFLAGS -o blinky-flash.elf src/blinky.c -DNO_OPTION_BYTES
arm-none-eabi-objcopy -O binary blinky-flash.elf blinky-flash.bin
arm-none-eabi-objcopy -O ihex blinky-flash.elf blinky-flash.hex
arm-none-eabi-objcopy -O binary -j .optbytes blinky.elf blinky-optbytes.bin

# Raw binary with a DFU suffix (vid 0483, pid df11, bcdDevice 2200).
cp blinky-flash.bin blinky-flash-suffix.bin
dfu-suffix -v 0x0483 -p 0xdf11 -d 0x2200 -a blinky-flash-suffix.bin >/dev/null

# DfuSe (-b: dfuse-pack's -i needs the python intelhex module): one target holding two
# elements, and two targets split by alternate setting.
dfuse-pack -b 0x08000000:blinky-flash.bin -b 0x1FFFC000:blinky-optbytes.bin blinky.dfu >/dev/null
dfuse-pack -b 0x08000000@0:blinky-flash.bin -b 0x1FFFC000@1:blinky-optbytes.bin \
  -D 0x0483:0xdf11 blinky-alt.dfu >/dev/null

# srec_cat variants of the same program: record sizes, S28/S37, extended segment addressing.
srec_cat blinky.hex -intel -o blinky-s37-obs32.srec -motorola -address-length=4 -obs=32
srec_cat blinky.hex -intel -o blinky-s28-obs8.srec -motorola -address-length=3 -obs=8
srec_cat blinky.hex -intel -o blinky-obs64.hex -intel -obs=64
srec_cat blinky-flash.bin -binary -offset 0x08000000 -o blinky-flash-s19.srec -motorola -address-length=2 -obs=16
srec_cat blinky-flash.hex -intel -offset -0x08000000 -offset 0x10000 \
  -o blinky-flash-segmented.hex -intel -address-length=3 -obs=16

# A gapped, multi-segment image built from pieces: flash start, flash at 0x08020000, option bytes.
srec_cat blinky-flash.bin -binary -offset 0x08000000 \
  blinky-flash.bin -binary -offset 0x08020000 \
  blinky-optbytes.bin -binary -offset 0x1FFFC000 \
  -o multi-gap.hex -intel -obs=32
srec_cat multi-gap.hex -intel -o multi-gap.srec -motorola -obs=24
dfuse-pack -b 0x08000000:blinky-flash.bin -b 0x08020000:blinky-flash.bin \
  -b 0x1FFFC000:blinky-optbytes.bin multi-gap.dfu >/dev/null

