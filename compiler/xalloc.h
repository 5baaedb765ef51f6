/* Allocation that cannot fail silently: out of memory ends cordonc with a
 * message (exit 1), never a crash or a half-built policy. */
#ifndef CORDON_XALLOC_H
#define CORDON_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
__attribute__((format(printf, 1, 2))) char *xasprintf(const char *fmt, ...);

/* Grows a (v, n, cap) array to hold one more element. */
#define XGROW(v, n, cap)                                                       \
	do {                                                                   \
		if ((n) == (cap)) {                                            \
			(cap) = (cap) ? (cap) * 2 : 8;                         \
			(v) = xreallocarray((v), (cap), sizeof *(v));          \
		}                                                              \
	} while (0)

#endif
