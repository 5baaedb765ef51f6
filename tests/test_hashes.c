/* Tests runtime/sha256.c against FIPS 180-4 / NIST vectors and checks streaming == one-shot. */
#include <stdint.h>
#include <string.h>

#include "crc32c.h"
#include "sha256.h"
#include "tap.h"

static int digest_is(const uint8_t d[32], const char *hex)
{
	char got[65];

	cordon_sha256_hex(d, got);
	if (strcmp(got, hex) == 0)
		return 1;
	tap_diag("got      %s", got);
	tap_diag("expected %s", hex);
	return 0;
}

static void test_vector(const char *name, const char *msg, const char *hex)
{
	uint8_t d[32];

	cordon_sha256(msg, strlen(msg), d);
	tap_ok(digest_is(d, hex), "one-shot: %s", name);
}

/* One million 'a', fed in chunks of 1, 2, 3, ... 97 bytes, cycling. */
static void test_million_a(void)
{
	static char chunk[97];
	struct cordon_sha256 s;
	size_t left = 1000000, step = 1;
	uint8_t d[32];

	memset(chunk, 'a', sizeof(chunk));
	cordon_sha256_init(&s);
	while (left > 0) {
		size_t take = step < left ? step : left;

		cordon_sha256_update(&s, chunk, take);
		left -= take;
		step = step % 97 + 1;
	}
	cordon_sha256_final(&s, d);
	tap_ok(digest_is(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
	       "one million 'a' in odd-sized chunks");
}

static void fill(uint8_t *msg, size_t n)
{
	for (size_t i = 0; i < n; i++)
		msg[i] = (uint8_t)(i * 7 + 3);
}

/* Every split point of a 200-byte message, in two and three pieces. */
static void test_splits(void)
{
	uint8_t msg[200], want[32], got[32];
	int bad = 0;

	fill(msg, sizeof(msg));
	cordon_sha256(msg, sizeof(msg), want);
	for (size_t i = 0; i <= sizeof(msg); i++) {
		for (size_t j = i; j <= sizeof(msg); j += 7) {
			struct cordon_sha256 s;

			cordon_sha256_init(&s);
			cordon_sha256_update(&s, msg, i);
			cordon_sha256_update(&s, msg + i, j - i);
			cordon_sha256_update(&s, msg + j, sizeof(msg) - j);
			cordon_sha256_final(&s, got);
			bad += memcmp(got, want, 32) != 0;
		}
	}
	tap_ok(bad == 0, "incremental == one-shot at every split point (%d mismatches)", bad);
}

/* Digests of every prefix length 0..199 (all padding cases), hashed together. */
static void test_lengths(void)
{
	uint8_t msg[200], all[200 * 32], d[32];

	fill(msg, sizeof(msg));
	for (size_t i = 0; i < 200; i++)
		cordon_sha256(msg, i, all + 32 * i);
	cordon_sha256(all, sizeof(all), d);
	tap_ok(digest_is(d, "615d67a99b8c846e1f0582dfe127019e93c33a66e89ced6a4f81f932c82ece87"),
	       "digests of lengths 0..199 match hashlib");
}

static void test_hex(void)
{
	uint8_t d[32];
	char hex[65];

	for (int i = 0; i < 32; i++)
		d[i] = (uint8_t)(i * 8 + 0x0f);
	memset(hex, 'X', sizeof(hex));
	cordon_sha256_hex(d, hex);
	tap_ok(strcmp(hex, "0f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff07") == 0,
	       "hex encoding is lowercase and NUL-terminated");
}

/* CRC-32C: the standard check value, hardware and table agree on every
 * length and alignment, and continuing a CRC equals one pass. */
static void test_crc32c(void)
{
	tap_ok(cordon_crc32c(0, "123456789", 9) == 0xE3069283,
	       "crc32c(\"123456789\") is the check value e3069283");
	tap_ok(cordon_crc32c_sw(0, "123456789", 9) == 0xE3069283,
	       "the table version gives the check value too");
	uint8_t buf[300];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 131 + 7);
	int agree = 1, split = 1;
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len + off <= sizeof buf; len++) {
			uint32_t a = cordon_crc32c(0, buf + off, len);
			agree &= a == cordon_crc32c_sw(0, buf + off, len);
			size_t h = len / 3;
			split &= a == cordon_crc32c(cordon_crc32c(0, buf + off, h),
						    buf + off + h, len - h);
		}
	tap_ok(agree, "hardware and table CRC agree on every length and alignment");
	tap_ok(split, "a CRC continued over two parts equals one pass");
}

int main(void)
{
	test_vector("empty string", "",
		    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	test_vector("\"abc\"", "abc",
		    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	test_vector("448-bit message",
		    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	test_vector("896-bit message",
		    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	test_million_a();
	test_splits();
	test_lengths();
	test_hex();
	test_crc32c();
	return tap_done();
}
