/* The sandbox's environment, built from the policy's env rules before the
 * fork: nothing inherited passes unless a rule allows it. */
#include "env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool env_glob_match(const char *pat, const char *name, size_t len)
{
	/* iterative matcher with one backtrack point for the last '*' */
	size_t n = 0, star_p = (size_t)-1, star_n = 0;
	size_t p = 0;
	while (n < len) {
		if (pat[p] == '*') {
			star_p = p++;
			star_n = n;
		} else if (pat[p] && (pat[p] == '?' || pat[p] == name[n])) {
			p++;
			n++;
		} else if (star_p != (size_t)-1) {
			p = star_p + 1;
			n = ++star_n;
		} else {
			return false;
		}
	}
	while (pat[p] == '*')
		p++;
	return pat[p] == '\0';
}

static bool rule_matches(const struct cpb_env_rule *r, const char *name, size_t len)
{
	if (r->flags & CPB_ENVF_GLOB)
		return env_glob_match(r->pattern, name, len);
	return strlen(r->pattern) == len && memcmp(r->pattern, name, len) == 0;
}

static bool keep(const struct cpb_policy *p, const char *entry)
{
	const char *eq = strchr(entry, '=');
	if (!eq || eq == entry)
		return false; /* not NAME=VALUE: never passed on */
	size_t len = (size_t)(eq - entry);
	for (size_t i = 0; i < p->nenv; i++) {
		const struct cpb_env_rule *r = &p->env[i];
		if (r->action == CPB_ENV_SET)
			break;
		if (rule_matches(r, entry, len))
			return r->action == CPB_ENV_ALLOW;
	}
	return false;
}

/* A SET value with ${HOME}, ${TMPDIR} and ${WORKSPACE} replaced. */
static char *expand(const char *name, const char *v, const struct env_vars *vars)
{
	size_t cap = strlen(name) + strlen(v) + 2, len = 0;
	static const char *const names[] = {"${HOME}", "${TMPDIR}", "${WORKSPACE}"};
	const char *values[] = {vars->home, vars->tmpdir, vars->workspace};
	for (const char *q = v; (q = strstr(q, "${")); q++)
		for (int i = 0; i < 3; i++)
			if (strncmp(q, names[i], strlen(names[i])) == 0)
				cap += values[i] ? strlen(values[i]) : 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	len = (size_t)snprintf(out, cap, "%s=", name);
	while (*v) {
		int hit = -1;
		for (int i = 0; i < 3 && hit < 0; i++)
			if (strncmp(v, names[i], strlen(names[i])) == 0)
				hit = i;
		if (hit >= 0) {
			const char *val = values[hit] ? values[hit] : "";
			memcpy(out + len, val, strlen(val));
			len += strlen(val);
			v += strlen(names[hit]);
		} else {
			out[len++] = *v++;
		}
	}
	out[len] = '\0';
	return out;
}

static bool sets(const struct cpb_policy *p, const char *name, size_t len)
{
	for (size_t i = 0; i < p->nenv; i++)
		if (p->env[i].action == CPB_ENV_SET && strlen(p->env[i].pattern) == len &&
		    memcmp(p->env[i].pattern, name, len) == 0)
			return true;
	return false;
}

static size_t name_len(const char *entry)
{
	return (size_t)(strchr(entry, '=') - entry);
}

/* One layer: what passes of in (n entries) into out, then its SETs, which
 * it allocates into pool.  Returns the count, or (size_t)-1 when out of
 * memory. */
static size_t filter(const struct cpb_policy *p, char *const *in, size_t n, char **out,
		     char **pool, size_t *npool, const struct env_vars *vars, bool drop_tmpdir)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!keep(p, in[i]) || (drop_tmpdir && strncmp(in[i], "TMPDIR=", 7) == 0))
			continue;
		/* a SET of the same name replaces it */
		if (!sets(p, in[i], name_len(in[i])))
			out[k++] = in[i];
	}
	for (size_t i = 0; i < p->nenv; i++) {
		const struct cpb_env_rule *r = &p->env[i];
		if (r->action != CPB_ENV_SET)
			continue;
		char *e = (r->flags & CPB_ENVF_EXPAND)
				  ? expand(r->pattern, r->value, vars)
				  : malloc(strlen(r->pattern) + strlen(r->value) + 2);
		if (!e)
			return (size_t)-1;
		if (!(r->flags & CPB_ENVF_EXPAND))
			sprintf(e, "%s=%s", r->pattern, r->value);
		pool[(*npool)++] = out[k++] = e;
	}
	return k;
}

char **env_build(const struct cpb_policy *const *layer, size_t nlayers, char *const *inherited,
		 const struct env_vars *vars, char *err, size_t errlen)
{
	size_t n = 0, nsets = 0;
	for (char *const *e = inherited; e && *e; e++)
		n++;
	bool sets_tmpdir = false;
	for (size_t l = 0; l < nlayers; l++) {
		const struct cpb_policy *p = layer[l];
		for (size_t i = 0; i < p->nenv; i++)
			nsets += p->env[i].action == CPB_ENV_SET;
		sets_tmpdir |= sets(p, "TMPDIR", 6);
	}
	bool export_tmp = vars->export_tmpdir && vars->tmpdir && !sets_tmpdir;
	/* two stages each way (what one layer passes is the next one's input),
	 * the SETs of every layer, and the final copy */
	size_t cap = n + nsets + 2;
	char **a = calloc(cap, sizeof *a), **b = calloc(cap, sizeof *b);
	char **pool = calloc(nsets + 1, sizeof *pool), **env = NULL;
	size_t npool = 0, k = n;
	if (!a || !b || !pool)
		goto oom;
	for (size_t i = 0; i < n; i++)
		a[i] = inherited[i];
	for (size_t l = nlayers; l-- > 0;) {
		k = filter(layer[l], a, k, b, pool, &npool, vars, export_tmp);
		if (k == (size_t)-1)
			goto oom;
		char **t = a;
		a = b;
		b = t;
	}
	if (!(env = calloc(k + 2, sizeof *env)))
		goto oom;
	for (size_t i = 0; i < k; i++)
		if (!(env[i] = strdup(a[i])))
			goto oom;
	if (export_tmp) {
		if (!(env[k] = malloc(strlen(vars->tmpdir) + 8)))
			goto oom;
		sprintf(env[k], "TMPDIR=%s", vars->tmpdir);
	}
	goto out;
oom:
	snprintf(err, errlen, "building the environment: out of memory");
	env_free(env);
	env = NULL;
out:
	for (size_t i = 0; i < npool; i++)
		free(pool[i]);
	free(pool);
	free(a);
	free(b);
	return env;
}

void env_free(char **env)
{
	for (char **e = env; e && *e; e++)
		free(*e);
	free(env);
}
