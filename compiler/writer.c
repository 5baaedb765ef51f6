/* The binary policy writer: lays out the IR and the seccomp program as a
 * .cpb file (include/cpb_format.h), byte for byte the same for the same
 * input, and seals it with its SHA-256. */
#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "crc32c.h"
#include "xalloc.h"

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static size_t reserve(struct buf *b, size_t n)
{
	if (b->len + n > b->cap) {
		while (b->len + n > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->p = xrealloc(b->p, b->cap);
	}
	size_t at = b->len;
	memset(b->p + at, 0, n);
	b->len += n;
	return at;
}

/* Sizes a buffer once, when the final size is known: no regrowth. */
static void presize(struct buf *b, size_t cap)
{
	b->p = xmalloc(cap ? cap : 1);
	b->cap = cap ? cap : 1;
}

static void align8(struct buf *b)
{
	reserve(b, (8 - b->len % 8) % 8);
}

/* Appends a string to the string section; returns its offset in it. */
static uint32_t str_add(struct buf *strs, const char *s)
{
	size_t n = strlen(s) + 1;
	size_t at = reserve(strs, n);
	memcpy(strs->p + at, s, n);
	return (uint32_t)at;
}

struct section {
	uint32_t type, count;
	struct buf data;
};

static void build(const struct ir *ir, const struct sock_filter *prog, size_t n,
		  struct section sec[CPB_SEC_COUNT])
{
	for (unsigned i = 0; i < CPB_SEC_COUNT; i++)
		sec[i] = (struct section){.type = CPB_SEC_FIRST + i};
	struct buf *strs = &sec[CPB_SEC_STRINGS - 1].data;
	uint32_t nstr = 1;
	size_t strsize = 1;
	for (size_t i = 0; i < ir->nfs; i++)
		strsize += strlen(ir->fs[i].path) + 1;
	for (size_t i = 0; i < ir->nenv; i++)
		strsize += strlen(ir->env[i].pattern) + 1 +
			   (ir->env[i].value ? strlen(ir->env[i].value) + 1 : 0);
	for (size_t i = 0; i < ir->nprot; i++)
		strsize += ir->prot[i].path[0] ? strlen(ir->prot[i].path) + 1 : 0;
	presize(strs, strsize);
	presize(&sec[CPB_SEC_FS_RULES - 1].data, ir->nfs * CPB_FS_RULE_SIZE);
	presize(&sec[CPB_SEC_NET_RULES - 1].data, ir->nports * CPB_NET_RULE_SIZE);
	presize(&sec[CPB_SEC_ENV_RULES - 1].data, ir->nenv * CPB_ENV_RULE_SIZE);
	presize(&sec[CPB_SEC_SECCOMP - 1].data, n * CPB_BPF_INSN_SIZE);
	presize(&sec[CPB_SEC_PROTECT - 1].data, ir->nprot * CPB_PROTECT_SIZE);
	reserve(strs, 1); /* offset 0 is "" */

	uint8_t *p = sec[CPB_SEC_LANDLOCK - 1].data.p =
		xcalloc(1, CPB_LL_SIZE);
	sec[CPB_SEC_LANDLOCK - 1].data.len = CPB_LL_SIZE;
	sec[CPB_SEC_LANDLOCK - 1].count = 1;
	cpb_put64(p + CPB_LL_HANDLED_FS, ir->handled_fs);
	cpb_put64(p + CPB_LL_HANDLED_NET, ir->handled_net);
	cpb_put32(p + CPB_LL_FEATURES, ir->features);

	struct section *fs = &sec[CPB_SEC_FS_RULES - 1];
	for (size_t i = 0; i < ir->nfs; i++) {
		size_t at = reserve(&fs->data, CPB_FS_RULE_SIZE);
		uint32_t s = str_add(strs, ir->fs[i].path);
		nstr++;
		p = fs->data.p + at;
		cpb_put32(p + CPB_FS_PATH, s);
		p[CPB_FS_BASE] = (uint8_t)ir->fs[i].base;
		p[CPB_FS_FLAGS] = ir->fs[i].dir ? CPB_FSF_DIR : 0;
		cpb_put64(p + CPB_FS_ALLOW, ir->fs[i].allow);
		cpb_put64(p + CPB_FS_DENY, ir->fs[i].deny);
		fs->count++;
	}

	struct section *net = &sec[CPB_SEC_NET_RULES - 1];
	for (size_t i = 0; i < ir->nports; i++) {
		size_t at = reserve(&net->data, CPB_NET_RULE_SIZE);
		p = net->data.p + at;
		p[CPB_NET_KIND] = ir->ports[i].dir == NETD_BIND ? CPB_NET_BIND
							       : CPB_NET_CONNECT;
		p[CPB_NET_PROTO] = CPB_PROTO_TCP;
		cpb_put16(p + CPB_NET_PORT_LO, ir->ports[i].lo);
		cpb_put16(p + CPB_NET_PORT_HI, ir->ports[i].hi);
		net->count++;
	}

	struct section *sc = &sec[CPB_SEC_SCOPES - 1];
	size_t at = reserve(&sc->data, CPB_SCOPES_SIZE);
	cpb_put64(sc->data.p + at + CPB_SCOPES_SCOPED, ir->scoped);
	sc->count = 1;

	struct section *env = &sec[CPB_SEC_ENV_RULES - 1];
	for (size_t i = 0; i < ir->nenv; i++) {
		const struct ir_env_rule *r = &ir->env[i];
		size_t at = reserve(&env->data, CPB_ENV_RULE_SIZE);
		uint32_t pat = str_add(strs, r->pattern), val = 0;
		nstr++;
		if (r->value) {
			val = str_add(strs, r->value);
			nstr++;
		}
		p = env->data.p + at;
		cpb_put32(p + CPB_ENV_PATTERN, pat);
		cpb_put32(p + CPB_ENV_VALUE, val);
		p[CPB_ENV_ACTION] = (uint8_t)r->action;
		p[CPB_ENV_FLAGS] = (uint8_t)((r->glob ? CPB_ENVF_GLOB : 0) |
					     (r->expand ? CPB_ENVF_EXPAND : 0));
		env->count++;
	}

	struct section *lim = &sec[CPB_SEC_LIMITS - 1];
	at = reserve(&lim->data, CPB_LIMITS_SIZE);
	p = lim->data.p + at;
	lim->count = 1;
	static const struct {
		int kind;
		uint32_t bit;
		unsigned off;
	} lims[] = {
		{LIM_MEMORY, CPB_LIMIT_MEMORY, CPB_LIM_MEMORY},
		{LIM_PIDS, CPB_LIMIT_PIDS, CPB_LIM_PIDS},
		{LIM_TIME, CPB_LIMIT_TIME, CPB_LIM_TIME_MS},
		{LIM_CPUTIME, CPB_LIMIT_CPUTIME, CPB_LIM_CPUTIME_MS},
		{LIM_FILES, CPB_LIMIT_FILES, CPB_LIM_FILES},
		{LIM_FSIZE, CPB_LIMIT_FSIZE, CPB_LIM_FSIZE},
		{LIM_DISK, CPB_LIMIT_DISK, CPB_LIM_DISK},
	};
	uint32_t present = 0;
	for (size_t i = 0; i < sizeof lims / sizeof lims[0]; i++) {
		if (!(ir->limits_present & (1U << lims[i].kind)))
			continue;
		present |= lims[i].bit;
		cpb_put64(p + lims[i].off, ir->limit[lims[i].kind]);
	}
	if (ir->limits_present & (1U << LIM_CPU)) {
		present |= CPB_LIMIT_CPU;
		cpb_put32(p + CPB_LIM_CPU_MILLI, (uint32_t)ir->limit[LIM_CPU]);
	}
	cpb_put32(p + CPB_LIM_PRESENT, present);

	struct section *bpf = &sec[CPB_SEC_SECCOMP - 1];
	for (size_t i = 0; i < n; i++) {
		at = reserve(&bpf->data, CPB_BPF_INSN_SIZE);
		p = bpf->data.p + at;
		cpb_put16(p + CPB_BPF_CODE, prog[i].code);
		p[CPB_BPF_JT] = prog[i].jt;
		p[CPB_BPF_JF] = prog[i].jf;
		cpb_put32(p + CPB_BPF_K, prog[i].k);
	}
	bpf->count = (uint32_t)n;

	/* a named protection's path is "" (offset 0) */
	struct section *prot = &sec[CPB_SEC_PROTECT - 1];
	for (size_t i = 0; i < ir->nprot; i++) {
		const struct ir_protect *r = &ir->prot[i];
		at = reserve(&prot->data, CPB_PROTECT_SIZE);
		uint32_t path = 0;
		if (r->path[0]) {
			path = str_add(strs, r->path);
			nstr++;
		}
		p = prot->data.p + at;
		cpb_put32(p + CPB_PR_PATH, path);
		p[CPB_PR_BASE] = (uint8_t)r->base;
		p[CPB_PR_KIND] = r->kind;
		p[CPB_PR_FLAGS] = r->dir ? CPB_PROTF_DIR : 0;
		prot->count++;
	}
	sec[CPB_SEC_STRINGS - 1].count = nstr;
}

bool cpb_write(const struct ir *ir, const struct sock_filter *prog, size_t n,
	       uint8_t **out, size_t *out_len)
{
	struct section sec[CPB_SEC_COUNT];
	build(ir, prog, n, sec);

	struct buf f = {0};
	size_t total = CPB_HEADER_SIZE + CPB_SEC_COUNT * CPB_SECT_ENTRY_SIZE;
	for (unsigned i = 0; i < CPB_SEC_COUNT; i++)
		total += (sec[i].data.len + 7) & ~(size_t)7;
	presize(&f, total);
	reserve(&f, CPB_HEADER_SIZE);
	size_t table = reserve(&f, CPB_SEC_COUNT * CPB_SECT_ENTRY_SIZE);
	for (unsigned i = 0; i < CPB_SEC_COUNT; i++) {
		align8(&f);
		size_t at = reserve(&f, sec[i].data.len);
		if (sec[i].data.len)
			memcpy(f.p + at, sec[i].data.p, sec[i].data.len);
		uint8_t *e = f.p + table + i * CPB_SECT_ENTRY_SIZE;
		cpb_put32(e + CPB_SECT_TYPE, sec[i].type);
		cpb_put32(e + CPB_SECT_COUNT, sec[i].count);
		cpb_put32(e + CPB_SECT_OFFSET, (uint32_t)at);
		cpb_put32(e + CPB_SECT_SIZE, (uint32_t)sec[i].data.len);
		free(sec[i].data.p);
	}
	align8(&f);
	if (f.len > CPB_MAX_FILE_SIZE) {
		free(f.p);
		return false;
	}
	uint8_t *h = f.p;
	memcpy(h + CPB_HDR_MAGIC, CPB_MAGIC, CPB_MAGIC_LEN);
	cpb_put16(h + CPB_HDR_VERSION, CPB_VERSION);
	cpb_put16(h + CPB_HDR_HEADER_SIZE, CPB_HEADER_SIZE);
	cpb_put32(h + CPB_HDR_ARCH, ir->arch);
	cpb_put32(h + CPB_HDR_LANDLOCK_ABI, ir->landlock_abi);
	cpb_put32(h + CPB_HDR_FLAGS, ir->best_effort ? CPB_FLAG_BEST_EFFORT : 0);
	cpb_put64(h + CPB_HDR_FILE_SIZE, f.len);
	cpb_put32(h + CPB_HDR_SECTION_COUNT, CPB_SEC_COUNT);
	cpb_put32(h + CPB_HDR_SECTION_TABLE, (uint32_t)table);
	cpb_put32(h + CPB_HDR_CHECKSUM, cordon_crc32c(0, f.p, f.len));
	*out = f.p;
	*out_len = f.len;
	return true;
}
