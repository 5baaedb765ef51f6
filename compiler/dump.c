/* `cordonc --dump`: every section of a validated compiled policy in words,
 * and its seccomp program disassembled.  The output is deterministic, so
 * the tests compare it with golden files. */
#include "dump.h"

#include <string.h>

#include "bpf_disasm.h"
#include "ir.h"
#include "landlock_abi.h"

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

	fprintf(out, "protections (%zu):\n", p->nprot);
	for (size_t i = 0; i < p->nprot; i++) {
		const struct cpb_protect *x = &p->prot[i];
		if (x->kind != CPB_PROT_PATH)
			fprintf(out, "  %s\n", cpb_prot_name(x->kind));
		else
			dump_path(out, x->base, x->path, x->dir);
	}

	fputs("network: ", out);
	if (!p->handled_net)
		fputs("all sockets\n", out);
	else
		fprintf(out, "%s%s\n", p->nnet ? "TCP ports below" : "none",
			p->features & CPB_FEAT_RESOLVE_UNIX ? ", unix sockets" : "");
	for (size_t i = 0; i < p->nnet; i++) {
		const struct cpb_net_rule *n = &p->net[i];
		fprintf(out, "  %s tcp %u", n->kind == CPB_NET_BIND ? "bind" : "connect",
			n->lo);
		if (n->hi != n->lo)
			fprintf(out, "-%u", n->hi);
		fputc('\n', out);
	}

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

	const struct cpb_limits *l = &p->limits;
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

	fprintf(out, "seccomp program (%zu instructions):\n", p->nbpf);
	char buf[64];
	bpf_disasm(out, p->bpf, p->nbpf, sysname, buf);
}
