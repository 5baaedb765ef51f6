/* The policy's abstract syntax: list helpers and names of enum values. */
#include "ast.h"

#include <stdio.h>
#include <stdlib.h>

#include "xalloc.h"

void items_push(struct items *l, char *text, const struct cordon_loc *loc,
		bool quoted)
{
	if (l->n == l->cap) {
		/* most statements name one or two things */
		l->cap = l->cap ? l->cap * 2 : 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = (struct item){.text = text, .loc = *loc, .quoted = quoted};
}

void items_free(struct items *l)
{
	free(l->v); /* the texts live in the compile context's arena */
	*l = (struct items){0};
}

void stmts_push(struct stmts *l, struct stmt *s)
{
	XGROW(l->v, l->n, l->cap);
	l->v[l->n++] = *s;
	s->args = (struct items){0};
}

void stmts_free(struct stmts *l)
{
	for (size_t i = 0; i < l->n; i++)
		items_free(&l->v[i].args);
	free(l->v);
	*l = (struct stmts){0};
}

const char *limit_kind_name(enum limit_kind k)
{
	static const char *const names[LIM_COUNT] = {
		"memory", "pids", "time", "cputime", "cpu", "files", "fsize", "disk"};
	return (unsigned)k < LIM_COUNT ? names[k] : "?";
}

const char *access_words(unsigned access, char *buf, size_t len)
{
	static const char *const names[] = {"read", "write", "exec", "ioctl"};
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < 4 && used < len; i++)
		if (access & (1U << i))
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? "," : "", names[i]);
	return buf;
}
