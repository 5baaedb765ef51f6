/* The string arena: allocations are aligned, keep their contents, share
 * blocks (a megabyte of small strings takes about a megabyte), and big
 * requests get blocks of their own without wasting the current one. */
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "tap.h"

int main(void)
{
	struct arena a = {0};
	char *first = arena_strdup(&a, "first");
	int aligned = 1, intact = 1;
	char *p[30000];
	for (int i = 0; i < 30000; i++) {
		size_t n = (size_t)(i % 57);
		p[i] = arena_alloc(&a, n + 1);
		aligned &= ((uintptr_t)p[i] % 8) == 0;
		memset(p[i], 'a' + i % 26, n);
		p[i][n] = '\0';
	}
	for (int i = 0; i < 30000; i++) {
		size_t n = (size_t)(i % 57);
		intact &= strlen(p[i]) == n && (n == 0 || p[i][n - 1] == 'a' + i % 26);
	}
	tap_ok(aligned, "every allocation is 8-byte aligned");
	tap_ok(intact, "30000 allocations keep their contents");
	tap_ok(strcmp(first, "first") == 0, "the first string is intact");
	size_t blocks = arena_blocks(&a);
	tap_ok(blocks >= 14 && blocks <= 16,
	       "about 900 KB of small strings fill %zu blocks of 64 KB", blocks);
	char *big = arena_alloc(&a, 1 << 20);
	memset(big, 'x', 1 << 20);
	char *after = arena_strdup(&a, "after");
	tap_ok(arena_blocks(&a) == blocks + 1,
	       "a 1 MB request takes one block of its own");
	tap_ok(strcmp(after, "after") == 0 && strcmp(arena_strndup(&a, "abcdef", 3), "abc") == 0,
	       "small strings still come from the current block");
	arena_free(&a);
	tap_ok(arena_blocks(&a) == 0 && a.cur == NULL, "arena_free releases every block");
	return tap_done();
}
