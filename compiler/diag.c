/* Diagnostics: `FILE:LINE:COL: error: MESSAGE`, the source line and a caret,
 * in the style of gcc; counts errors and warnings; "did you mean". */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* out is the message's own memory stream: no other thread, so no locks */
static void show_line(FILE *out, const struct cordon_loc *loc)
{
	const struct src_file *f = loc->file;
	if (!f || !f->text || loc->first_line < 1)
		return;
	if ((size_t)loc->first_line > f->nlines)
		return;
	const char *p = f->text + f->lines[loc->first_line - 1], *end = f->text + f->len;
	if (p >= end && loc->first_line > 1)
		return; /* the end of the file, after its last line */
	const char *eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	fprintf(out, "%5d | ", loc->first_line);
	for (const char *q = p; q < eol; q++)
		putc_unlocked((*q == '\t' || (unsigned char)*q >= 0x20) && *q != 0x7f ? *q : ' ', out);
	fputs("\n      | ", out);
	/* pad with the line's own tabs so the caret lines up; one column per
	 * UTF-8 character */
	int col = 1;
	const char *q = p;
	for (; q < eol && col < loc->first_column; q++, col++)
		if (((unsigned char)*q & 0xC0) != 0x80)
			putc_unlocked(*q == '\t' ? '\t' : ' ', out);
	putc_unlocked('^', out);
	if (loc->last_line == loc->first_line) {
		for (q++, col++; q < eol && col <= loc->last_column; q++, col++)
			if (((unsigned char)*q & 0xC0) != 0x80)
				putc_unlocked('~', out);
	}
	putc_unlocked('\n', out);
}

/* attached: a note sorted right after the previous message (diag_note) */
static void vreport(struct diag *d, const struct cordon_loc *loc,
		    const char *kind, bool attached, const char *fmt, va_list ap)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out) {
		fputs("cordonc: error: out of memory\n", stderr);
		exit(1);
	}
	if (loc && loc->file)
		fprintf(out, "%s:%d:%d: %s: ", loc->file->name,
			loc->first_line, loc->first_column, kind);
	else
		fprintf(out, "cordonc: %s: ", kind);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
	if (loc)
		show_line(out, loc);
	fclose(out);
	XGROW(d->msgs, d->nmsgs, d->cap);
	struct diag_msg m = {.seq = (unsigned)d->nmsgs, .text = text};
	if (attached && d->nmsgs) {
		/* a note sorts right after the message it belongs to */
		m.file = d->msgs[d->nmsgs - 1].file;
		m.line = d->msgs[d->nmsgs - 1].line;
		m.column = d->msgs[d->nmsgs - 1].column;
	} else if (loc && loc->file) {
		m.file = loc->file->index + 1;
		m.line = loc->first_line;
		m.column = loc->first_column;
	}
	d->msgs[d->nmsgs++] = m;
}

static int cmp_msg(const void *a, const void *b)
{
	const struct diag_msg *x = a, *y = b;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diag_flush(struct diag *d)
{
	if (d->nmsgs)
		qsort(d->msgs, d->nmsgs, sizeof *d->msgs, cmp_msg);
	for (size_t i = 0; i < d->nmsgs; i++) {
		fputs(d->msgs[i].text, d->out);
		free(d->msgs[i].text);
	}
	free(d->msgs);
	d->msgs = NULL;
	d->nmsgs = d->cap = 0;
	fflush(d->out);
}

/* The error after the last one shown: the compile stops, and says so
 * after every message. */
static void stop(struct diag *d)
{
	d->stopped = d->muted = true;
	XGROW(d->msgs, d->nmsgs, d->cap);
	d->msgs[d->nmsgs] = (struct diag_msg){
		.file = ~0U, .seq = (unsigned)d->nmsgs,
		.text = xstrdup("cordonc: error: too many errors; stopping\n")};
	d->nmsgs++;
}

static void verror(struct diag *d, const struct cordon_loc *loc, const char *fmt,
		   va_list ap)
{
	d->muted = d->stopped;
	if (d->muted)
		return;
	if (++d->errors > DIAG_MAX_ERRORS) {
		stop(d);
		return;
	}
	vreport(d, loc, "error", false, fmt, ap);
}

void diag_error(struct diag *d, const struct cordon_loc *loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(d, loc, fmt, ap);
	va_end(ap);
}

void diag_warning(struct diag *d, const struct cordon_loc *loc, const char *fmt, ...)
{
	va_list ap;
	d->muted = d->no_warnings || d->stopped;
	if (d->muted)
		return;
	if (d->werror && ++d->errors > DIAG_MAX_ERRORS) {
		stop(d);
		return;
	}
	if (!d->werror)
		d->warnings++;
	va_start(ap, fmt);
	vreport(d, loc, d->werror ? "error" : "warning", false, fmt, ap);
	va_end(ap);
}

void diag_note(struct diag *d, const struct cordon_loc *loc, const char *fmt, ...)
{
	va_list ap;
	if (d->muted)
		return;
	va_start(ap, fmt);
	vreport(d, loc, "note", true, fmt, ap);
	va_end(ap);
}

void diag_notice(struct diag *d, const struct cordon_loc *loc, const char *fmt, ...)
{
	va_list ap;
	d->muted = d->no_warnings || d->stopped;
	if (d->muted)
		return;
	va_start(ap, fmt);
	vreport(d, loc, "note", false, fmt, ap);
	va_end(ap);
}

void diag_plain_error(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(d, NULL, fmt, ap);
	va_end(ap);
}

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and transpositions of neighbours each cost one. */
unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 1000;
	unsigned m[65][65];
	for (size_t i = 0; i <= la; i++)
		m[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		m[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
			unsigned best = m[i - 1][j - 1] + cost;
			if (m[i - 1][j] + 1 < best)
				best = m[i - 1][j] + 1;
			if (m[i][j - 1] + 1 < best)
				best = m[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && m[i - 2][j - 2] + 1 < best)
				best = m[i - 2][j - 2] + 1;
			m[i][j] = best;
		}
	}
	return m[la][lb];
}

const char *did_you_mean(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	unsigned best_d = ~0U;
	size_t len = strlen(word);
	unsigned limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	for (size_t i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		unsigned dd = edit_distance(word, cands[i]);
		if (dd < best_d) {
			best_d = dd;
			best = cands[i];
		}
	}
	return best && best_d <= limit && best_d > 0 ? best : NULL;
}
