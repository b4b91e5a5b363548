/**
 * An in-process STM32 system bootloader, written from AN3156 and DFU 1.1, that implements
 * {@link com.flashline.dfu.DfuTransport} so the host engine drives it like a real board.
 *
 * <p>Start with {@link com.flashline.sim.SimulatedStm32#builder(ChipProfile)}; pick a
 * {@link com.flashline.sim.ChipProfile}, {@link com.flashline.sim.SimOptions} (time scale, block
 * addressing, status timing) and optionally a {@link com.flashline.sim.FaultPlan}. After a run,
 * {@link com.flashline.sim.SimulatedStm32#violations()} lists everything the host did that the
 * protocol forbids.
 *
 * <p>Choices where AN3156 is silent or ambiguous:
 * <ul>
 *   <li>A request refused for the state, or with a bad SETUP packet, is stalled and the device
 *       enters dfuERROR / errSTALLEDPKT (DFU 1.1 appendix A). Requests that never reach the DFU
 *       class (other request types, another interface) are stalled without a state change.</li>
 *   <li>Read Memory failures (address outside the map, read protection) stall the UPLOAD and leave
 *       dfuERROR with errTARGET / errVENDOR for the next GETSTATUS.</li>
 *   <li>The first RAM bytes the ROM uses are outside the valid map: Set Address, Read and Write
 *       there give errTARGET.</li>
 *   <li>The Leave jump address is the last Set Address pointer or the start address of the last
 *       successful Write Memory; the address pointer itself is not moved by writes.</li>
 *   <li>Read Unprotect resets the chip whether or not it was protected (when not, only RAM is
 *       cleared); the ROM answers the first GETSTATUS with dfuDNBUSY, drops off the bus at once
 *       and enumerates again after the mass-erase time. Option-byte writes do the same.</li>
 *   <li>Write-protected sectors are configured on the builder; they are cleared by Read Unprotect
 *       (which restores default option bytes) but not decoded from option-byte writes.</li>
 *   <li>DFU_DETACH (allowed in the idle states) makes the ROM restart USB and enumerate again.</li>
 *   <li>The Device Feature alt setting (0xFFFF0000) is listed but not backed by memory.</li>
 * </ul>
 */
package com.flashline.sim;
