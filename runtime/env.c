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

char **env_build(const struct cpb_policy *p, char *const *inherited,
		 const struct env_vars *vars, char *err, size_t errlen)
{
	size_t n = 0;
	for (char *const *e = inherited; e && *e; e++)
		n++;
	char **env = calloc(n + p->nenv + 2, sizeof *env);
	if (!env)
		goto oom;
	size_t k = 0;
	bool sets_tmpdir = false;
	for (size_t i = 0; i < p->nenv; i++)
		sets_tmpdir |= p->env[i].action == CPB_ENV_SET &&
			       strcmp(p->env[i].pattern, "TMPDIR") == 0;
	bool export_tmp = vars->export_tmpdir && vars->tmpdir && !sets_tmpdir;
	for (char *const *e = inherited; e && *e; e++) {
		if (!keep(p, *e) || (export_tmp && strncmp(*e, "TMPDIR=", 7) == 0))
			continue;
		/* a SET of the same name replaces it */
		size_t len = (size_t)(strchr(*e, '=') - *e);
		bool set = false;
		for (size_t i = 0; i < p->nenv && !set; i++)
			set = p->env[i].action == CPB_ENV_SET &&
			      strlen(p->env[i].pattern) == len &&
			      memcmp(p->env[i].pattern, *e, len) == 0;
		if (set)
			continue;
		if (!(env[k++] = strdup(*e)))
			goto oom;
	}
	for (size_t i = 0; i < p->nenv; i++) {
		const struct cpb_env_rule *r = &p->env[i];
		if (r->action != CPB_ENV_SET)
			continue;
		env[k] = (r->flags & CPB_ENVF_EXPAND) ? expand(r->pattern, r->value, vars)
						      : malloc(strlen(r->pattern) + strlen(r->value) + 2);
		if (!env[k])
			goto oom;
		if (!(r->flags & CPB_ENVF_EXPAND))
			sprintf(env[k], "%s=%s", r->pattern, r->value);
		k++;
	}
	if (export_tmp) {
		if (!(env[k] = malloc(strlen(vars->tmpdir) + 8)))
			goto oom;
		sprintf(env[k++], "TMPDIR=%s", vars->tmpdir);
	}
	env[k] = NULL;
	return env;
oom:
	snprintf(err, errlen, "building the environment: out of memory");
	env_free(env);
	return NULL;
}

void env_free(char **env)
{
	for (char **e = env; e && *e; e++)
		free(*e);
	free(env);
}
