/* CRC-32C (Castagnoli), the checksum of a compiled policy. */
#ifndef CORDON_CRC32C_H
#define CORDON_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continues crc (0 to start) over data; the hardware instruction when the
 * CPU has it. */
uint32_t cordon_crc32c(uint32_t crc, const void *data, size_t len);
/* The same with the portable table only (tests compare the two). */
uint32_t cordon_crc32c_sw(uint32_t crc, const void *data, size_t len);

#endif
