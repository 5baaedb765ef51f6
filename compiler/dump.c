/* `cordonc --dump`: every section of a validated compiled policy in words,
 * and its seccomp program disassembled.  The output is deterministic, so
 * the tests compare it with golden files. */
#include "dump.h"

#include <stdlib.h>
#include <string.h>

#include "bpf_disasm.h"
#include "ir.h"
#include "landlock_abi.h"
#include "xalloc.h"

static const char *const fs_bits[] = {
	"execute",   "write_file", "read_file",  "read_dir",  "remove_dir",
	"remove_file", "make_char", "make_dir",  "make_reg",  "make_sock",
	"make_fifo", "make_block", "make_sym",   "refer",     "truncate",
	"ioctl_dev", "resolve_unix",
};
static const char *const net_bits[] = {"bind_tcp", "connect_tcp", "bind_udp",
				       "connect_send_udp"};
static const char *const scope_bits[] = {"abstract_unix_socket", "signal"};

static void bits(FILE *out, uint64_t mask, const char *const *names, size_t n)
{
	bool first = true;
	for (size_t i = 0; i < n; i++)
		if (mask & (1ULL << i)) {
			fprintf(out, "%s%s", first ? "" : ",", names[i]);
			first = false;
		}
	if (first)
		fputs("-", out);
}

/* The access words of the language that make up mask, then any rights
 * left over by name. */
static void rights(FILE *out, uint64_t mask)
{
	static const struct {
		const char *word;
		uint64_t bits;
	} words[] = {
		{"read", CORDON_LL_FS_READ_FILE | CORDON_LL_FS_READ_DIR},
		{"write", CORDON_LL_FS_WRITE_FILE | CORDON_LL_FS_TRUNCATE |
				  CORDON_LL_FS_REMOVE_DIR | CORDON_LL_FS_REMOVE_FILE |
				  CORDON_LL_FS_MAKE_DIR | CORDON_LL_FS_MAKE_REG |
				  CORDON_LL_FS_MAKE_SOCK | CORDON_LL_FS_MAKE_FIFO |
				  CORDON_LL_FS_MAKE_SYM | CORDON_LL_FS_REFER |
				  CORDON_LL_FS_RESOLVE_UNIX},
		{"exec", CORDON_LL_FS_EXECUTE},
		{"ioctl", CORDON_LL_FS_IOCTL_DEV},
	};
	bool first = true;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if ((mask & words[i].bits) == words[i].bits) {
			fprintf(out, "%s%s", first ? "" : ",", words[i].word);
			mask &= ~words[i].bits;
			/* an allowed exec carries read_file */
			if (words[i].bits == CORDON_LL_FS_EXECUTE)
				mask &= ~CORDON_LL_FS_READ_FILE;
			first = false;
		}
	if (mask) {
		fputs(first ? "" : ",", out);
		bits(out, mask, fs_bits, sizeof fs_bits / sizeof fs_bits[0]);
	}
}

static void size_words(FILE *out, uint64_t v)
{
	static const char units[] = "KMGT";
	int u = -1;
	while (v && v % 1024 == 0 && u < 3) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		fprintf(out, "%llu", (unsigned long long)v);
	else
		fprintf(out, "%llu%c", (unsigned long long)v, units[u]);
}

static void ms_words(FILE *out, uint64_t ms)
{
	if (ms % 1000)
		fprintf(out, "%llums", (unsigned long long)ms);
	else
		fprintf(out, "%llus", (unsigned long long)(ms / 1000));
}

/* A path of a rule, on a line of its own: "  ${WORKSPACE}/src/" */
static void dump_path(FILE *out, enum cpb_base base, const char *path, bool dir)
{
	if (base == CPB_BASE_ROOT)
		fprintf(out, "  %s%s\n", path, dir ? "/" : "");
	else
		fprintf(out, "  %s%s%s%s\n", cpb_base_name(base), path[0] ? "/" : "",
			path, dir ? "/" : "");
}

static void dump_protections(FILE *out, const struct cpb_protect *prot, size_t n)
{
	fprintf(out, "protections (%zu):\n", n);
	for (size_t i = 0; i < n; i++) {
		if (prot[i].kind != CPB_PROT_PATH)
			fprintf(out, "  %s\n", cpb_prot_name(prot[i].kind));
		else
			dump_path(out, prot[i].base, prot[i].path, prot[i].dir);
	}
}

/* restricted: some network rule applies (Landlock handles the network);
 * unix_ok: `net unix` */
static void dump_net(FILE *out, bool restricted, bool unix_ok, const struct cpb_net_rule *net,
		     size_t n)
{
	fputs("network: ", out);
	if (!restricted)
		fputs("all sockets\n", out);
	else
		fprintf(out, "%s%s\n", n ? "TCP ports below" : "none",
			unix_ok ? ", unix sockets" : "");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "  %s tcp %u", net[i].kind == CPB_NET_BIND ? "bind" : "connect",
			net[i].lo);
		if (net[i].hi != net[i].lo)
			fprintf(out, "-%u", net[i].hi);
		fputc('\n', out);
	}
}

static void dump_limits(FILE *out, const struct cpb_limits *l)
{
	fputs("limits:", out);
	if (!l->present)
		fputs(" none", out);
	if (l->present & CPB_LIMIT_MEMORY)
		fputs(" memory=", out), size_words(out, l->memory);
	if (l->present & CPB_LIMIT_PIDS)
		fprintf(out, " pids=%llu", (unsigned long long)l->pids);
	if (l->present & CPB_LIMIT_TIME)
		fputs(" time=", out), ms_words(out, l->time_ms);
	if (l->present & CPB_LIMIT_CPUTIME)
		fputs(" cputime=", out), ms_words(out, l->cputime_ms);
	if (l->present & CPB_LIMIT_CPU)
		fprintf(out, " cpu=%u.%03u", l->cpu_milli / 1000, l->cpu_milli % 1000);
	if (l->present & CPB_LIMIT_FILES)
		fprintf(out, " files=%llu", (unsigned long long)l->files);
	if (l->present & CPB_LIMIT_FSIZE)
		fputs(" fsize=", out), size_words(out, l->fsize);
	if (l->present & CPB_LIMIT_DISK)
		fputs(" disk=", out), size_words(out, l->disk);
	fputc('\n', out);
}

static const char *sysname(uint32_t nr, void *arg)
{
	return syscall_name(nr, arg);
}

void dump_policy(FILE *out, const struct cpb_policy *p)
{
	fprintf(out, "cordon compiled policy, format %u, x86_64, %zu bytes, crc32c %08x\n",
		p->version, p->size, p->checksum);
	fprintf(out, "enforcement: %s; full enforcement needs Landlock ABI %u\n",
		p->flags & CPB_FLAG_BEST_EFFORT ? "best-effort" : "strict",
		p->landlock_abi);
	fputs("kernel features needed:\n", out);
	for (unsigned b = 0; b < CPB_FEAT_COUNT; b++)
		if (p->features & (1U << b))
			fprintf(out, "  %s (ABI %u)\n", cpb_feature_name(b),
				cpb_feature_abi(b));

	fputs("landlock handled fs: ", out);
	bits(out, p->handled_fs, fs_bits, sizeof fs_bits / sizeof fs_bits[0]);
	fputs("\nlandlock handled net: ", out);
	bits(out, p->handled_net, net_bits, 4);
	fputs("\nlandlock scopes: ", out);
	bits(out, p->scoped, scope_bits, 2);
	fputc('\n', out);

	fprintf(out, "filesystem rules (%zu):\n", p->nfs);
	for (size_t i = 0; i < p->nfs; i++) {
		const struct cpb_fs_rule *f = &p->fs[i];
		dump_path(out, f->base, f->path, f->dir);
		if (f->allow) {
			fputs("    allow ", out);
			rights(out, f->allow);
			fputc('\n', out);
		}
		if (f->deny) {
			fputs("    deny  ", out);
			rights(out, f->deny);
			fputc('\n', out);
		}
	}

	dump_protections(out, p->prot, p->nprot);
	dump_net(out, p->handled_net != 0, (p->features & CPB_FEAT_RESOLVE_UNIX) != 0,
		 p->net, p->nnet);

	fprintf(out, "environment rules (%zu; the first that matches a name decides):\n",
		p->nenv);
	for (size_t i = 0; i < p->nenv; i++) {
		const struct cpb_env_rule *e = &p->env[i];
		if (e->action == CPB_ENV_SET)
			fprintf(out, "  set   %s=%s%s\n", e->pattern, e->value,
				e->flags & CPB_ENVF_EXPAND ? "  (expanded at run time)" : "");
		else
			fprintf(out, "  %s %s\n",
				e->action == CPB_ENV_ALLOW ? "allow" : "deny ", e->pattern);
	}

	dump_limits(out, &p->limits);

	fprintf(out, "seccomp program (%zu instructions):\n", p->nbpf);
	char buf[64];
	bpf_disasm(out, p->bpf, p->nbpf, sysname, buf);
}

/* ---- several layers ------------------------------------------------------ */

/* The port ranges of kind allowed by both a and b (each sorted, not
 * overlapping), appended to out. */
static void meet_ports(const struct cpb_net_rule *a, size_t na, const struct cpb_net_rule *b,
		       size_t nb, struct cpb_net_rule *out, size_t *nout)
{
	size_t i = 0, j = 0;
	while (i < na && j < nb) {
		if (a[i].kind != b[j].kind) {
			if (a[i].kind < b[j].kind)
				i++;
			else
				j++;
			continue;
		}
		uint16_t lo = a[i].lo > b[j].lo ? a[i].lo : b[j].lo;
		uint16_t hi = a[i].hi < b[j].hi ? a[i].hi : b[j].hi;
		if (lo <= hi)
			out[(*nout)++] = (struct cpb_net_rule){.kind = a[i].kind,
							       .proto = a[i].proto,
							       .lo = lo, .hi = hi};
		if (a[i].hi < b[j].hi)
			i++;
		else
			j++;
	}
}

static int cmp_prot(const void *x, const void *y)
{
	const struct cpb_protect *a = x, *b = y;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	if (a->base != b->base)
		return (int)a->base - (int)b->base;
	return strcmp(a->path, b->path);
}

void dump_layers(FILE *out, const struct cpb_policy *p, const char *const *names,
		 size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "=== layer %zu of %zu%s: %s\n", i + 1, n,
			i == 0 ? " (outermost)" : i == n - 1 ? " (innermost)" : "",
			names[i]);
		dump_policy(out, &p[i]);
	}
	fprintf(out, "=== together: %zu layers, outermost first:", n);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s %s", i ? "," : "", names[i]);
	fputs("\na path, port, variable or system call is allowed only when every "
	      "layer allows it\n(each layer is enforced on its own: its Landlock "
	      "ruleset, its seccomp filter, its environment rules)\n", out);

	bool lax = true;
	unsigned abi = 0;
	struct cpb_limits lim = {0};
	size_t nprot = 0, nnet = 0, cap = 0;
	for (size_t i = 0; i < n; i++) {
		lax = lax && (p[i].flags & CPB_FLAG_BEST_EFFORT);
		abi = p[i].landlock_abi > abi ? p[i].landlock_abi : abi;
		cpb_limits_combine(&lim, &p[i].limits);
		nprot += p[i].nprot;
		cap = p[i].nnet > cap ? p[i].nnet : cap;
	}
	fprintf(out, "enforcement: %s; full enforcement needs Landlock ABI %u (the "
		"highest of the layers)\n",
		lax ? "best-effort (every layer says so)"
		    : "strict (best-effort only when every layer says so)", abi);

	/* the network: what every layer that restricts it lets through */
	bool restricted = false, unix_ok = true;
	struct cpb_net_rule *net = xcalloc(cap ? cap : 1, sizeof *net);
	struct cpb_net_rule *tmp = xcalloc(cap ? cap : 1, sizeof *tmp);
	for (size_t i = 0; i < n; i++) {
		if (!p[i].handled_net)
			continue; /* net all: this layer restricts nothing */
		unix_ok = unix_ok && (p[i].features & CPB_FEAT_RESOLVE_UNIX);
		if (!restricted) {
			memcpy(net, p[i].net, p[i].nnet * sizeof *net);
			nnet = p[i].nnet;
			restricted = true;
			continue;
		}
		size_t k = 0;
		meet_ports(net, nnet, p[i].net, p[i].nnet, tmp, &k);
		memcpy(net, tmp, k * sizeof *net);
		nnet = k;
	}
	dump_net(out, restricted, unix_ok, net, nnet);
	free(net);
	free(tmp);

	/* protections: every layer's */
	struct cpb_protect *prot = xcalloc(nprot ? nprot : 1, sizeof *prot);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < p[i].nprot; j++)
			prot[k++] = p[i].prot[j];
	if (k)
		qsort(prot, k, sizeof *prot, cmp_prot);
	size_t m = 0;
	for (size_t i = 0; i < k; i++) {
		if (m && cmp_prot(&prot[m - 1], &prot[i]) == 0) {
			prot[m - 1].dir |= prot[i].dir;
			continue;
		}
		prot[m++] = prot[i];
	}
	fputs("(protections: those of every layer)\n", out);
	dump_protections(out, prot, m);
	free(prot);
	fputs("(limits: the smallest of any layer)\n", out);
	dump_limits(out, &lim);
}
