/* An arena for the strings of one compilation: tokens, paths, patterns.
 * They live as long as the compile context and are freed all at once, so
 * the parser and lowering never free a string one by one. */
#include "arena.h"

#include <stdint.h>
#include <string.h>

#include <stdlib.h>

#include "xalloc.h"

#define ARENA_BLOCK (64 * 1024)

struct arena_block {
	struct arena_block *next;
	max_align_t data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if ((size_t)(a->end - a->cur) < n) {
		size_t size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
		struct arena_block *b = xmalloc(sizeof *b + size);
		b->next = a->blocks;
		a->blocks = b;
		if (n > ARENA_BLOCK / 4 && a->cur)
			return b->data; /* a big one: keep filling the current block */
		a->cur = (char *)b->data;
		a->end = a->cur + size;
	}
	void *p = a->cur;
	a->cur += n;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_free(struct arena *a)
{
	while (a->blocks) {
		struct arena_block *next = a->blocks->next;
		free(a->blocks);
		a->blocks = next;
	}
	a->cur = a->end = NULL;
}

size_t arena_blocks(const struct arena *a)
{
	size_t n = 0;
	for (const struct arena_block *b = a->blocks; b; b = b->next)
		n++;
	return n;
}
