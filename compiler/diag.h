/* Diagnostics: `FILE:LINE:COL: error: MESSAGE`, the source line and a caret,
 * in the style of gcc; counts errors and warnings; "did you mean". */
#ifndef CORDON_DIAG_H
#define CORDON_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "ast.h"

/* After this many errors the compile stops loading and checking:
 * "too many errors; stopping" (so that a policy of 60,000 bad lines costs
 * milliseconds). */
#define DIAG_MAX_ERRORS 20

/* One message, kept until diag_flush() prints them all in source order. */
struct diag_msg {
	unsigned file, seq;
	int line, column;
	char *text;
};

struct diag {
	FILE *out;
	struct diag_msg *msgs;
	size_t nmsgs, cap;
	int errors;
	int warnings;
	bool no_warnings; /* -w */
	bool werror;      /* -Werror: warnings count as errors */
	bool muted;       /* the last error or warning was not shown: nor are its notes */
	bool stopped;     /* more than DIAG_MAX_ERRORS errors: stop */
};

__attribute__((format(printf, 3, 4))) void
diag_error(struct diag *d, const struct cordon_loc *loc, const char *fmt, ...);
__attribute__((format(printf, 3, 4))) void
diag_warning(struct diag *d, const struct cordon_loc *loc, const char *fmt, ...);
/* A note attached to the previous error or warning (printed only when that
 * one was). */
__attribute__((format(printf, 3, 4))) void
diag_note(struct diag *d, const struct cordon_loc *loc, const char *fmt, ...);
/* A note of its own, about a statement that is fine but worth knowing
 * about; hidden by -w, never an error under -Werror. */
__attribute__((format(printf, 3, 4))) void
diag_notice(struct diag *d, const struct cordon_loc *loc, const char *fmt, ...);
/* An error without a location (usage, I/O): "cordonc: error: ..." */
__attribute__((format(printf, 2, 3))) void
diag_plain_error(struct diag *d, const char *fmt, ...);

/* Prints the collected messages sorted by file, line and column (a note
 * stays after its message) and forgets them. */
void diag_flush(struct diag *d);

/* The candidate closest to word by edit distance, or NULL when none is close
 * enough to be a likely misspelling. */
const char *did_you_mean(const char *word, const char *const *cands, size_t n);
unsigned edit_distance(const char *a, const char *b);

#endif
