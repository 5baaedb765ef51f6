/* The binary policy reader: loads a .cpb file and validates every offset,
 * length, count and enum before anything uses it (include/cpb_format.h).
 * Anything malformed is refused with the first problem found. */
#include "policy_load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpf_check.h"
#include "landlock_abi.h"
#include "crc32c.h"

struct rd {
	const uint8_t *d;
	size_t size;
	const uint8_t *strings;
	size_t nstrings;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct rd *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

const char *cpb_section_name(uint32_t type)
{
	static const char *const names[] = {"strings", "landlock", "fs rules",
					    "net rules", "scopes", "env rules",
					    "limits", "seccomp", "protect"};
	return type >= CPB_SEC_FIRST && type <= CPB_SEC_LAST ? names[type - 1] : "unknown";
}

const char *cpb_base_name(enum cpb_base base)
{
	static const char *const names[] = {"/", "${HOME}", "${TMPDIR}", "${WORKSPACE}"};
	return (unsigned)base < CPB_BASE_COUNT ? names[base] : "?";
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* A string reference: must be the start of a string in the string section. */
static const char *string_at(struct rd *r, uint32_t off)
{
	if (off >= r->nstrings || (off > 0 && r->strings[off - 1] != '\0'))
		return NULL;
	return (const char *)r->strings + off;
}

struct sect {
	uint32_t count, offset, size;
	const uint8_t *p;
};

static int check_table(struct rd *r, struct sect s[CPB_SEC_COUNT])
{
	uint32_t n = cpb_get32(r->d + CPB_HDR_SECTION_COUNT);
	uint32_t table = cpb_get32(r->d + CPB_HDR_SECTION_TABLE);
	if (n != CPB_SEC_COUNT)
		return fail(r, "%u sections, expected %u", n, CPB_SEC_COUNT);
	if (table != CPB_HEADER_SIZE)
		return fail(r, "section table at offset %u, expected %u", table,
			    CPB_HEADER_SIZE);
	size_t end = (size_t)table + (size_t)n * CPB_SECT_ENTRY_SIZE;
	if (end > r->size)
		return fail(r, "section table runs past the end of the file");
	static const uint32_t entsize[CPB_SEC_COUNT] = {
		1, CPB_LL_SIZE, CPB_FS_RULE_SIZE, CPB_NET_RULE_SIZE,
		CPB_SCOPES_SIZE, CPB_ENV_RULE_SIZE, CPB_LIMITS_SIZE,
		CPB_BPF_INSN_SIZE, CPB_PROTECT_SIZE};
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = r->d + table + i * CPB_SECT_ENTRY_SIZE;
		uint32_t type = cpb_get32(e + CPB_SECT_TYPE);
		struct sect *x = &s[i];
		x->count = cpb_get32(e + CPB_SECT_COUNT);
		x->offset = cpb_get32(e + CPB_SECT_OFFSET);
		x->size = cpb_get32(e + CPB_SECT_SIZE);
		if (type != CPB_SEC_FIRST + i)
			return fail(r, "section %u has type %u, expected %u (%s)", i,
				    type, CPB_SEC_FIRST + i, cpb_section_name(CPB_SEC_FIRST + i));
		/* sections follow each other, each starting at the next multiple of
		 * 8, with zero padding: nothing hides between them */
		size_t want = (end + 7) & ~(size_t)7;
		if (x->offset != want)
			return fail(r, "%s section at offset %u, expected %zu",
				    cpb_section_name(type), x->offset, want);
		if ((size_t)x->offset + x->size > r->size)
			return fail(r, "%s section runs past the end of the file",
				    cpb_section_name(type));
		if (!all_zero(r->d + end, x->offset - end))
			return fail(r, "non-zero padding before the %s section",
				    cpb_section_name(type));
		if (type != CPB_SEC_STRINGS &&
		    (uint64_t)x->count * entsize[i] != x->size)
			return fail(r, "%s section: %u entries do not fill %u bytes",
				    cpb_section_name(type), x->count, x->size);
		x->p = r->d + x->offset;
		end = (size_t)x->offset + x->size;
	}
	size_t want = (end + 7) & ~(size_t)7;
	if (want != r->size || !all_zero(r->d + end, r->size - end))
		return fail(r, "%zu unexpected bytes after the last section",
			    r->size > end ? r->size - end : 0);
	return 0;
}

static int check_header(struct rd *r, struct cpb_policy *p)
{
	const uint8_t *h = r->d;
	if (r->size < CPB_MAGIC_LEN ||
	    memcmp(h + CPB_HDR_MAGIC, CPB_MAGIC, CPB_MAGIC_LEN) != 0)
		return fail(r, "not a compiled cordon policy (bad magic); compile "
			       "it with cordonc");
	if (r->size < CPB_HEADER_SIZE)
		return fail(r, "too short for a compiled policy (%zu bytes)", r->size);
	p->version = cpb_get16(h + CPB_HDR_VERSION);
	if (p->version < CPB_VERSION)
		return fail(r, "format version %u, from an older cordonc; this cordon "
			       "reads version %u: recompile the policy with this "
			       "cordonc (cordonc -o FILE.cpb FILE.cordon)",
			    p->version, CPB_VERSION);
	if (p->version != CPB_VERSION)
		return fail(r, "format version %u, this cordon reads version %u; "
			       "recompile the policy with the matching cordonc",
			    p->version, CPB_VERSION);
	if (cpb_get16(h + CPB_HDR_HEADER_SIZE) != CPB_HEADER_SIZE)
		return fail(r, "header size %u, expected %u",
			    cpb_get16(h + CPB_HDR_HEADER_SIZE), CPB_HEADER_SIZE);
	if (cpb_get64(h + CPB_HDR_FILE_SIZE) != r->size)
		return fail(r, "header says %llu bytes but the file has %zu "
			       "(truncated or padded)",
			    (unsigned long long)cpb_get64(h + CPB_HDR_FILE_SIZE), r->size);
	static const uint8_t zero[4];
	uint32_t crc = cordon_crc32c(0, h, CPB_HDR_CHECKSUM);
	crc = cordon_crc32c(crc, zero, 4);
	crc = cordon_crc32c(crc, h + CPB_HDR_CHECKSUM + 4,
			    r->size - CPB_HDR_CHECKSUM - 4);
	p->checksum = cpb_get32(h + CPB_HDR_CHECKSUM);
	if (crc != p->checksum)
		return fail(r, "checksum mismatch: the file is damaged");
	p->arch = cpb_get32(h + CPB_HDR_ARCH);
	if (p->arch != CPB_ARCH_X86_64)
		return fail(r, "compiled for architecture 0x%08x; this cordon runs "
			       "x86_64 policies", p->arch);
	p->landlock_abi = cpb_get32(h + CPB_HDR_LANDLOCK_ABI);
	p->flags = cpb_get32(h + CPB_HDR_FLAGS);
	if (p->flags & ~CPB_FLAGS_KNOWN)
		return fail(r, "unknown flags 0x%x in the header", p->flags);
	if (!all_zero(h + CPB_HDR_RESERVED, CPB_HDR_RESERVED_LEN))
		return fail(r, "reserved header bytes are not zero");
	return 0;
}

static int check_strings(struct rd *r, const struct sect *s)
{
	if (s->size == 0 || s->p[0] != '\0' || s->p[s->size - 1] != '\0')
		return fail(r, "the string section must start and end with a NUL");
	uint32_t n = 0;
	size_t start = 0;
	for (size_t i = 0; i < s->size; i++) {
		if (s->p[i])
			continue;
		if (i - start + 1 > CPB_MAX_STRING)
			return fail(r, "string at offset %zu is longer than %u bytes",
				    start, CPB_MAX_STRING);
		n++;
		start = i + 1;
	}
	if (n != s->count)
		return fail(r, "string section holds %u strings, table says %u", n,
			    s->count);
	r->strings = s->p;
	r->nstrings = s->size;
	return 0;
}

static int check_landlock(struct rd *r, struct cpb_policy *p,
			  const struct sect *ll, const struct sect *sc)
{
	if (ll->count != 1 || sc->count != 1)
		return fail(r, "landlock and scopes sections must hold one entry");
	p->handled_fs = cpb_get64(ll->p + CPB_LL_HANDLED_FS);
	p->handled_net = cpb_get64(ll->p + CPB_LL_HANDLED_NET);
	p->features = cpb_get32(ll->p + CPB_LL_FEATURES);
	p->scoped = cpb_get64(sc->p + CPB_SCOPES_SCOPED);
	if (p->handled_fs & ~CORDON_LL_FS_ALL)
		return fail(r, "unknown filesystem rights 0x%llx",
			    (unsigned long long)(p->handled_fs & ~CORDON_LL_FS_ALL));
	if (p->handled_net & ~0xFULL)
		return fail(r, "unknown network rights 0x%llx",
			    (unsigned long long)p->handled_net);
	if (p->scoped & ~3ULL)
		return fail(r, "unknown scopes 0x%llx", (unsigned long long)p->scoped);
	if (p->features & ~CPB_FEATS_KNOWN)
		return fail(r, "unknown kernel features 0x%x", p->features);
	if (cpb_get32(ll->p + CPB_LL_RESERVED))
		return fail(r, "reserved landlock bytes are not zero");
	if (p->landlock_abi != cpb_features_abi(p->features))
		return fail(r, "header needs Landlock ABI %u but the features need %u",
			    p->landlock_abi, cpb_features_abi(p->features));
	return 0;
}

static int check_fs(struct rd *r, struct cpb_policy *p, const struct sect *s)
{
	p->fs = calloc(s->count ? s->count : 1, sizeof *p->fs);
	if (!p->fs)
		return fail(r, "out of memory");
	for (uint32_t i = 0; i < s->count; i++) {
		const uint8_t *e = s->p + (size_t)i * CPB_FS_RULE_SIZE;
		struct cpb_fs_rule *f = &p->fs[i];
		f->path = string_at(r, cpb_get32(e + CPB_FS_PATH));
		f->base = e[CPB_FS_BASE];
		f->allow = cpb_get64(e + CPB_FS_ALLOW);
		f->deny = cpb_get64(e + CPB_FS_DENY);
		if (!f->path)
			return fail(r, "fs rule %u: bad path reference", i);
		if ((unsigned)f->base >= CPB_BASE_COUNT)
			return fail(r, "fs rule %u: unknown base %u", i, (unsigned)f->base);
		if ((f->base == CPB_BASE_ROOT) != (f->path[0] == '/'))
			return fail(r, "fs rule %u: path '%s' does not fit base %s", i,
				    f->path, cpb_base_name(f->base));
		if (e[CPB_FS_FLAGS] & ~CPB_FSF_KNOWN)
			return fail(r, "fs rule %u: unknown flags 0x%x", i, e[CPB_FS_FLAGS]);
		f->dir = e[CPB_FS_FLAGS] & CPB_FSF_DIR;
		if (cpb_get16(e + CPB_FS_RESERVED))
			return fail(r, "fs rule %u: reserved bytes are not zero", i);
		if ((f->allow | f->deny) & ~p->handled_fs)
			return fail(r, "fs rule %u: rights outside the handled set", i);
		if (!(f->allow | f->deny))
			return fail(r, "fs rule %u: grants and denies nothing", i);
		if (i > 0 && (p->fs[i - 1].base > f->base ||
			      (p->fs[i - 1].base == f->base &&
			       strcmp(p->fs[i - 1].path, f->path) >= 0)))
			return fail(r, "fs rule %u: rules are not sorted or repeat a path", i);
		p->nfs++;
	}
	return 0;
}

static int check_net(struct rd *r, struct cpb_policy *p, const struct sect *s)
{
	p->net = calloc(s->count ? s->count : 1, sizeof *p->net);
	if (!p->net)
		return fail(r, "out of memory");
	for (uint32_t i = 0; i < s->count; i++) {
		const uint8_t *e = s->p + (size_t)i * CPB_NET_RULE_SIZE;
		struct cpb_net_rule *n = &p->net[i];
		n->kind = e[CPB_NET_KIND];
		n->proto = e[CPB_NET_PROTO];
		n->lo = cpb_get16(e + CPB_NET_PORT_LO);
		n->hi = cpb_get16(e + CPB_NET_PORT_HI);
		if (n->kind != CPB_NET_BIND && n->kind != CPB_NET_CONNECT)
			return fail(r, "net rule %u: unknown kind %u", i, (unsigned)n->kind);
		if (n->proto != CPB_PROTO_TCP)
			return fail(r, "net rule %u: unknown protocol %u", i, (unsigned)n->proto);
		if (cpb_get16(e + CPB_NET_RESERVED))
			return fail(r, "net rule %u: reserved bytes are not zero", i);
		if (n->lo > n->hi || (n->kind == CPB_NET_CONNECT && n->lo == 0))
			return fail(r, "net rule %u: bad port range %u-%u", i, n->lo, n->hi);
		if (i > 0 && (p->net[i - 1].kind > n->kind ||
			      (p->net[i - 1].kind == n->kind && p->net[i - 1].hi >= n->lo)))
			return fail(r, "net rule %u: rules are not sorted or overlap", i);
		p->nnet++;
	}
	if (p->nnet && !(p->features & CPB_FEAT_NET_TCP))
		return fail(r, "net rules without the TCP port feature");
	return 0;
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?") != NULL;
}

static int check_env(struct rd *r, struct cpb_policy *p, const struct sect *s)
{
	p->env = calloc(s->count ? s->count : 1, sizeof *p->env);
	if (!p->env)
		return fail(r, "out of memory");
	bool sets = false;
	for (uint32_t i = 0; i < s->count; i++) {
		const uint8_t *e = s->p + (size_t)i * CPB_ENV_RULE_SIZE;
		struct cpb_env_rule *v = &p->env[i];
		uint32_t val = cpb_get32(e + CPB_ENV_VALUE);
		v->pattern = string_at(r, cpb_get32(e + CPB_ENV_PATTERN));
		v->action = e[CPB_ENV_ACTION];
		v->flags = e[CPB_ENV_FLAGS];
		if (!v->pattern || !v->pattern[0] || strchr(v->pattern, '='))
			return fail(r, "env rule %u: bad name or pattern", i);
		if (v->action < CPB_ENV_ALLOW || v->action > CPB_ENV_SET)
			return fail(r, "env rule %u: unknown action %u", i, (unsigned)v->action);
		if ((v->flags & ~CPB_ENVF_KNOWN) || cpb_get16(e + CPB_ENV_RESERVED))
			return fail(r, "env rule %u: unknown flags or reserved bytes", i);
		if (!!(v->flags & CPB_ENVF_GLOB) != has_glob(v->pattern))
			return fail(r, "env rule %u: glob flag does not match '%s'", i,
				    v->pattern);
		if (v->action == CPB_ENV_SET) {
			sets = true;
			v->value = string_at(r, val);
			if (!v->value || (v->flags & CPB_ENVF_GLOB))
				return fail(r, "env rule %u: bad value of a set", i);
		} else {
			if (sets)
				return fail(r, "env rule %u: a rule after the sets", i);
			if (val || (v->flags & CPB_ENVF_EXPAND))
				return fail(r, "env rule %u: a value on a rule that is not a set", i);
		}
		p->nenv++;
	}
	return 0;
}

static int check_limits(struct rd *r, struct cpb_policy *p, const struct sect *s)
{
	if (s->count != 1)
		return fail(r, "limits section must hold one entry");
	struct cpb_limits *l = &p->limits;
	l->present = cpb_get32(s->p + CPB_LIM_PRESENT);
	l->cpu_milli = cpb_get32(s->p + CPB_LIM_CPU_MILLI);
	l->memory = cpb_get64(s->p + CPB_LIM_MEMORY);
	l->pids = cpb_get64(s->p + CPB_LIM_PIDS);
	l->time_ms = cpb_get64(s->p + CPB_LIM_TIME_MS);
	l->cputime_ms = cpb_get64(s->p + CPB_LIM_CPUTIME_MS);
	l->files = cpb_get64(s->p + CPB_LIM_FILES);
	l->fsize = cpb_get64(s->p + CPB_LIM_FSIZE);
	l->disk = cpb_get64(s->p + CPB_LIM_DISK);
	if (l->present & ~CPB_LIMITS_KNOWN)
		return fail(r, "unknown limits 0x%x", l->present);
	const struct {
		uint32_t bit;
		uint64_t v, min;
		const char *name;
	} chk[] = {
		{CPB_LIMIT_MEMORY, l->memory, 1U << 20, "memory"},
		{CPB_LIMIT_PIDS, l->pids, 1, "pids"},
		{CPB_LIMIT_TIME, l->time_ms, 1, "time"},
		{CPB_LIMIT_CPUTIME, l->cputime_ms, 1, "cputime"},
		{CPB_LIMIT_CPU, l->cpu_milli, 1, "cpu"},
		{CPB_LIMIT_FILES, l->files, 1, "files"},
		{CPB_LIMIT_FSIZE, l->fsize, 0, "fsize"},
		{CPB_LIMIT_DISK, l->disk, 0, "disk"},
	};
	for (size_t i = 0; i < sizeof chk / sizeof chk[0]; i++) {
		bool set = l->present & chk[i].bit;
		if (!set && chk[i].v)
			return fail(r, "limit %s has a value but is not set", chk[i].name);
		if (set && chk[i].v < chk[i].min)
			return fail(r, "limit %s is below its minimum", chk[i].name);
	}
	return 0;
}

static int check_seccomp(struct rd *r, struct cpb_policy *p, const struct sect *s)
{
	if (s->count == 0 || s->count > CPB_MAX_SECCOMP_INSNS)
		return fail(r, "seccomp program of %u instructions (1 to %u)", s->count,
			    CPB_MAX_SECCOMP_INSNS);
	p->bpf = calloc(s->count, sizeof *p->bpf);
	if (!p->bpf)
		return fail(r, "out of memory");
	for (uint32_t i = 0; i < s->count; i++) {
		const uint8_t *e = s->p + (size_t)i * CPB_BPF_INSN_SIZE;
		p->bpf[i].code = cpb_get16(e + CPB_BPF_CODE);
		p->bpf[i].jt = e[CPB_BPF_JT];
		p->bpf[i].jf = e[CPB_BPF_JF];
		p->bpf[i].k = cpb_get32(e + CPB_BPF_K);
	}
	p->nbpf = s->count;
	char why[160];
	if (bpf_check(p->bpf, p->nbpf, why, sizeof why) != 0)
		return fail(r, "seccomp program rejected: %s", why);
	return 0;
}

static int check_protect(struct rd *r, struct cpb_policy *p, const struct sect *s)
{
	p->prot = calloc(s->count ? s->count : 1, sizeof *p->prot);
	if (!p->prot)
		return fail(r, "out of memory");
	for (uint32_t i = 0; i < s->count; i++) {
		const uint8_t *e = s->p + (size_t)i * CPB_PROTECT_SIZE;
		struct cpb_protect *x = &p->prot[i];
		uint8_t flags = e[CPB_PR_FLAGS];
		x->path = string_at(r, cpb_get32(e + CPB_PR_PATH));
		x->base = e[CPB_PR_BASE];
		x->kind = e[CPB_PR_KIND];
		x->dir = flags & CPB_PROTF_DIR;
		if (!x->path)
			return fail(r, "protection %u: bad path reference", i);
		if (x->kind < CPB_PROT_FIRST || x->kind > CPB_PROT_LAST)
			return fail(r, "protection %u: unknown kind %u", i, x->kind);
		if ((unsigned)x->base >= CPB_BASE_COUNT)
			return fail(r, "protection %u: unknown base %u", i, (unsigned)x->base);
		if (flags & ~CPB_PROTF_KNOWN)
			return fail(r, "protection %u: unknown flags 0x%x", i, flags);
		if (e[CPB_PR_RESERVED])
			return fail(r, "protection %u: reserved byte is not zero", i);
		if (x->kind == CPB_PROT_PATH &&
		    (x->base == CPB_BASE_ROOT) != (x->path[0] == '/'))
			return fail(r, "protection %u: path '%s' does not fit base %s", i,
				    x->path, cpb_base_name(x->base));
		if (x->kind != CPB_PROT_PATH &&
		    (x->path[0] || x->base != CPB_BASE_WORKSPACE || flags))
			return fail(r, "protection %u: %s takes no path, base or flags", i,
				    cpb_prot_name(x->kind));
		if (i > 0) {
			const struct cpb_protect *y = &p->prot[i - 1];
			int order = y->kind != x->kind ? (int)y->kind - (int)x->kind
				    : y->base != x->base ? (int)y->base - (int)x->base
							 : strcmp(y->path, x->path);
			if (order >= 0)
				return fail(r, "protection %u: protections are not sorted "
					       "or repeat one", i);
		}
		p->nprot++;
	}
	return 0;
}

int cpb_load_buffer(uint8_t *data, size_t size, struct cpb_policy *p,
		    char *err, size_t errlen)
{
	struct rd r = {.d = data, .size = size, .err = err, .errlen = errlen};
	struct sect s[CPB_SEC_COUNT];
	*p = (struct cpb_policy){.data = data, .size = size};
	if (size > CPB_MAX_FILE_SIZE) {
		fail(&r, "%zu bytes is larger than a policy can be (%u)", size,
		     CPB_MAX_FILE_SIZE);
		goto bad;
	}
	if (check_header(&r, p) || check_table(&r, s) ||
	    check_strings(&r, &s[CPB_SEC_STRINGS - 1]) ||
	    check_landlock(&r, p, &s[CPB_SEC_LANDLOCK - 1], &s[CPB_SEC_SCOPES - 1]) ||
	    check_fs(&r, p, &s[CPB_SEC_FS_RULES - 1]) ||
	    check_net(&r, p, &s[CPB_SEC_NET_RULES - 1]) ||
	    check_env(&r, p, &s[CPB_SEC_ENV_RULES - 1]) ||
	    check_limits(&r, p, &s[CPB_SEC_LIMITS - 1]) ||
	    check_seccomp(&r, p, &s[CPB_SEC_SECCOMP - 1]) ||
	    check_protect(&r, p, &s[CPB_SEC_PROTECT - 1]))
		goto bad;
	return 0;
bad:
	cpb_free(p);
	return -1;
}

int cpb_load_file(const char *path, struct cpb_policy *p, char *err, size_t errlen)
{
	*p = (struct cpb_policy){0};
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CPB_MAX_FILE_SIZE) {
		snprintf(err, errlen, "%s: %s", path,
			 S_ISREG(st.st_mode) ? "larger than a compiled policy can be"
					     : "not a regular file");
		close(fd);
		return -1;
	}
	size_t size = (size_t)st.st_size, got = 0;
	uint8_t *data = malloc(size ? size : 1);
	while (data && got < size) {
		ssize_t n = read(fd, data + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "%s: read: %s", path,
				 n < 0 ? strerror(errno) : "file shrank while reading");
			free(data);
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	if (!data) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	char why[256];
	if (cpb_load_buffer(data, size, p, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: invalid compiled policy: %s", path, why);
		return -1;
	}
	return 0;
}

void cpb_limits_combine(struct cpb_limits *into, const struct cpb_limits *layer)
{
	const struct {
		uint32_t bit;
		uint64_t *have;
		uint64_t v;
	} lim[] = {
		{CPB_LIMIT_MEMORY, &into->memory, layer->memory},
		{CPB_LIMIT_PIDS, &into->pids, layer->pids},
		{CPB_LIMIT_TIME, &into->time_ms, layer->time_ms},
		{CPB_LIMIT_CPUTIME, &into->cputime_ms, layer->cputime_ms},
		{CPB_LIMIT_FILES, &into->files, layer->files},
		{CPB_LIMIT_FSIZE, &into->fsize, layer->fsize},
		{CPB_LIMIT_DISK, &into->disk, layer->disk},
	};
	for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++)
		if ((layer->present & lim[i].bit) &&
		    (!(into->present & lim[i].bit) || lim[i].v < *lim[i].have)) {
			*lim[i].have = lim[i].v;
			into->present |= lim[i].bit;
		}
	if ((layer->present & CPB_LIMIT_CPU) &&
	    (!(into->present & CPB_LIMIT_CPU) || layer->cpu_milli < into->cpu_milli)) {
		into->cpu_milli = layer->cpu_milli;
		into->present |= CPB_LIMIT_CPU;
	}
}

void cpb_free(struct cpb_policy *p)
{
	free(p->data);
	free(p->fs);
	free(p->net);
	free(p->env);
	free(p->bpf);
	free(p->prot);
	*p = (struct cpb_policy){0};
}
