/* The layers of a run's policy (see layers.h). */
#include "layers.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "discover.h"

const char *layer_source_name(enum layer_source s)
{
	return s == LAYER_USER ? "user" : s == LAYER_CMDLINE ? "command line" : "discovered";
}

void layer_free(struct layer *y)
{
	for (size_t i = 0; i < y->nowned; i++)
		free(y->owned[i]);
	free(y->owned);
	layer_inputs_free(&y->in);
	ll_result_free(&y->ll);
	cpb_free(&y->p);
	free(y->path);
	free(y->root);
}

static int add_layer(struct run *r, const char *path, enum layer_source src, const char *root)
{
	if (r->nlayers == RUN_MAX_LAYERS) {
		snprintf(r->err, sizeof r->err, "more than %d policy layers (with %s): Landlock "
			 "stacks at most 16 domains, and cordon may itself run in another "
			 "sandbox's; merge some of the policies", RUN_MAX_LAYERS, path);
		return -1;
	}
	struct layer *y = &r->layer[r->nlayers++];
	*y = (struct layer){.source = src, .ll = {.ruleset_fd = -1}};
	y->path = strdup(path);
	y->root = root ? strdup(root) : NULL;
	if (!y->path || (root && !y->root)) {
		snprintf(r->err, sizeof r->err, "out of memory");
		return -1;
	}
	bool source;
	if (policy_load(path, root, &y->p, &source, &y->in, r->err, sizeof r->err) != 0) {
		y->p = (struct cpb_policy){0};
		return -1;
	}
	y->compiled = !source;
	return 0;
}

/* path is one of the -p policies (the same file): that layer is marked. */
static bool given(struct run *r, const char *path)
{
	struct stat a, b;
	if (stat(path, &a) != 0)
		return false;
	for (size_t i = 0; i < r->nlayers; i++)
		if (r->layer[i].source == LAYER_CMDLINE && stat(r->layer[i].path, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
			r->layer[i].discovered = true;
			return true;
		}
	return false;
}

/* One limit of the run: the smallest any layer sets. */
static void lower(struct cpb_limits *m, const struct cpb_limits *l, uint32_t bit, size_t off)
{
	if (!(l->present & bit))
		return;
	uint64_t *mv = (uint64_t *)((char *)m + off);
	const uint64_t *lv = (const uint64_t *)((const char *)l + off);
	if (!(m->present & bit) || *lv < *mv)
		*mv = *lv;
	m->present |= bit;
}

static void merge(struct run *r)
{
	static const struct {
		uint32_t bit;
		size_t off;
	} u64[] = {
		{CPB_LIMIT_MEMORY, offsetof(struct cpb_limits, memory)},
		{CPB_LIMIT_PIDS, offsetof(struct cpb_limits, pids)},
		{CPB_LIMIT_TIME, offsetof(struct cpb_limits, time_ms)},
		{CPB_LIMIT_CPUTIME, offsetof(struct cpb_limits, cputime_ms)},
		{CPB_LIMIT_FILES, offsetof(struct cpb_limits, files)},
		{CPB_LIMIT_FSIZE, offsetof(struct cpb_limits, fsize)},
		{CPB_LIMIT_DISK, offsetof(struct cpb_limits, disk)},
	};
	bool every_best = true;
	r->lim = (struct cpb_limits){0};
	for (size_t i = 0; i < r->nlayers; i++) {
		const struct cpb_policy *p = &r->layer[i].p;
		for (size_t k = 0; k < sizeof u64 / sizeof u64[0]; k++)
			lower(&r->lim, &p->limits, u64[k].bit, u64[k].off);
		if ((p->limits.present & CPB_LIMIT_CPU) &&
		    (!(r->lim.present & CPB_LIMIT_CPU) || p->limits.cpu_milli < r->lim.cpu_milli))
			r->lim.cpu_milli = p->limits.cpu_milli;
		r->lim.present |= p->limits.present & CPB_LIMIT_CPU;
		every_best &= (p->flags & CPB_FLAG_BEST_EFFORT) != 0;
	}
	r->best = !r->o->strict && (r->o->best_effort || every_best);
}

int layers_load(struct run *r)
{
	char path[PATH_MAX], root[PATH_MAX];
	int found = 0, user = user_policy(&r->home, path, sizeof path, r->err, sizeof r->err);
	if (user < 0 || (user && add_layer(r, path, LAYER_USER, NULL) != 0))
		return -1;
	char dpath[PATH_MAX] = "", note[PATH_MAX + 128] = "";
	if (!r->o->no_discover) {
		found = discover_policy(&r->home, dpath, sizeof dpath, root, sizeof root, note,
					sizeof note, &r->discovery);
		if (found < 0) {
			snprintf(r->err, sizeof r->err, "%s", note);
			return -1;
		}
	}
	for (size_t i = 0; i < r->o->npolicy; i++)
		if (add_layer(r, r->o->policy[i], LAYER_CMDLINE, NULL) != 0)
			return -1;
	/* a .cordon also given with -p is that layer already */
	if (found && !given(r, dpath) && add_layer(r, dpath, LAYER_DISCOVERED, root) != 0)
		return -1;
	if (!r->o->npolicy && !found) {
		snprintf(r->err, sizeof r->err, "no policy: pass -p POLICY, or put a .cordon file in "
			 "this directory or a parent%s%s%s%s%s", user ? " (the user policy " : "",
			 user ? path : "", user ? " only bounds the others)" : "",
			 note[0] ? "; " : "", note);
		return -1;
	}
	merge(r);
	return 0;
}

bool layers_use_home(const struct run *r)
{
	for (size_t i = 0; i < r->nlayers; i++) {
		const struct cpb_policy *p = &r->layer[i].p;
		for (size_t k = 0; k < p->nfs; k++)
			if (p->fs[k].base == CPB_BASE_HOME)
				return true;
		for (size_t k = 0; k < p->nenv; k++)
			if (p->env[k].action == CPB_ENV_SET && (p->env[k].flags & CPB_ENVF_EXPAND) &&
			    strstr(p->env[k].value, "${HOME}"))
				return true;
	}
	return false;
}

int layers_deny_other_home(struct run *r)
{
	if (!r->home.pw[0])
		return 0;
	struct ll_paths other = r->paths;
	other.home = r->home.pw;
	for (size_t i = 0; i < r->nlayers; i++) {
		struct layer *y = &r->layer[i];
		size_t n = y->p.nfs;
		for (size_t k = 0; k < n; k++) {
			char path[PATH_MAX];
			struct cpb_fs_rule rule = y->p.fs[k];
			if (rule.base != CPB_BASE_HOME || !rule.deny ||
			    ll_rule_path(&rule, &other, path, sizeof path) != 0)
				continue;
			char **o = realloc(y->owned, (y->nowned + 1) * sizeof *o);
			struct cpb_fs_rule *fs = o ? realloc(y->p.fs, (y->p.nfs + 1) * sizeof *fs) : NULL;
			if (o)
				y->owned = o;
			if (!fs || !(o[y->nowned] = strdup(path)))
				return -1;
			y->p.fs = fs;
			fs[y->p.nfs++] = (struct cpb_fs_rule){.path = o[y->nowned++], .base = CPB_BASE_ROOT,
							      .deny = rule.deny, .dir = rule.dir};
		}
	}
	return 0;
}
