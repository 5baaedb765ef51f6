/* An arena for the strings of one compilation: tokens, paths, patterns.
 * They live as long as the compile context and are freed all at once, so
 * the parser and lowering never free a string one by one. */
#ifndef CORDON_ARENA_H
#define CORDON_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *blocks;
	char *cur, *end;
};

void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void arena_free(struct arena *a);
/* How many blocks the arena holds (for tests). */
size_t arena_blocks(const struct arena *a);

#endif
