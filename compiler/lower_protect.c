/* Lowering of `protect` and `unprotect`: each target checked (a path as
 * allow/deny write them, or the name of a named protection), protections
 * merged, and every `unprotect` of the compile applied, whatever the order
 * of the statements.  The runtime decides how each one is held
 * (docs/language.md, "Protections"). */
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "xalloc.h"

static const char *const prot_names[] = {"new-repositories", "git-hooks-path",
					 "git-pointers", "home-workspace"};
#define NPROT_NAMES (sizeof prot_names / sizeof prot_names[0])

struct prot_entry {
	struct ir_protect p;
	const char *written;
	bool unprotect;
	unsigned order;
};

/* A bare word without a '/' names a protection; anything else (a quoted
 * string, a word with a '/' or one that starts like a path: '.', '~', '$')
 * is a path. */
static bool target(struct compile_ctx *c, const struct item *it, struct ir_protect *p)
{
	*p = (struct ir_protect){.loc = &it->loc};
	if (it->quoted || strchr(it->text, '/') || strchr("~.$", it->text[0])) {
		char *rest;
		p->kind = CPB_PROT_PATH;
		if (!lower_path(c, it, &p->base, &rest, &p->dir))
			return false;
		p->path = rest;
		return true;
	}
	for (size_t i = 0; i < NPROT_NAMES; i++)
		if (strcmp(it->text, prot_names[i]) == 0) {
			p->kind = (uint8_t)(CPB_PROT_NEW_REPOS + i);
			p->base = CPB_BASE_WORKSPACE;
			p->path = "";
			return true;
		}
	const char *guess = did_you_mean(it->text, prot_names, NPROT_NAMES);
	char hint[96] = "";
	if (guess)
		snprintf(hint, sizeof hint, "; did you mean '%s'?", guess);
	diag_error(&c->diag, &it->loc,
		   "unknown protection '%s'%s (the names are new-repositories, "
		   "git-hooks-path, git-pointers and home-workspace; write ./%s "
		   "for a path)", it->text, hint, it->text);
	return false;
}

static int cmp_key(const struct ir_protect *x, const struct ir_protect *y)
{
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	if (x->base != y->base)
		return (int)x->base - (int)y->base;
	return strcmp(x->path, y->path);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct prot_entry *x = a, *y = b;
	int k = cmp_key(&x->p, &y->p);
	if (k)
		return k;
	if (x->unprotect != y->unprotect)
		return x->unprotect - y->unprotect;
	return x->order < y->order ? -1 : x->order > y->order;
}

void lower_protect(struct compile_ctx *c, struct ir *ir)
{
	struct prot_entry *ents = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < c->stmts.n; i++) {
		const struct stmt *s = &c->stmts.v[i];
		if (s->kind != ST_PROTECT)
			continue;
		for (size_t j = 0; j < s->args.n; j++) {
			struct prot_entry e = {.unprotect = s->deny, .order = (unsigned)n,
					       .written = s->args.v[j].text};
			if (!target(c, &s->args.v[j], &e.p))
				continue;
			XGROW(ents, n, cap);
			ents[n++] = e;
		}
	}
	if (n)
		qsort(ents, n, sizeof *ents, cmp_entry);
	/* Each key's protects come first, then its unprotects: a key with an
	 * unprotect is dropped; an unprotect without a protect is a warning. */
	ir->prot = xcalloc(n ? n : 1, sizeof *ir->prot);
	char buf[256];
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && cmp_key(&ents[j].p, &ents[i].p) == 0)
			j++;
		size_t k = i, first_un = j;
		for (; k < j; k++)
			if (ents[k].unprotect) {
				first_un = k;
				break;
			}
		struct ir_protect merged = ents[i].p;
		for (k = i + 1; k < first_un; k++) {
			merged.dir |= ents[k].p.dir;
			if (lower_concerns_user(ents[k].p.loc, merged.loc))
				diag_warning(&c->diag, ents[k].p.loc,
					     "duplicate rule: '%s' is already protected at %s",
					     ents[k].written,
					     lower_where(merged.loc, buf, sizeof buf));
		}
		if (first_un == i) {
			for (k = i; k < j; k++)
				if (lower_concerns_user(ents[k].p.loc, NULL))
					diag_warning(&c->diag, ents[k].p.loc,
						     "unprotect removes nothing: '%s' is not "
						     "protected by this policy or the profiles it "
						     "uses (an outer layer's protections always "
						     "hold)", ents[k].written);
		} else if (first_un == j) {
			ir->prot[ir->nprot++] = merged;
		}
		i = j;
	}
	free(ents);
}
