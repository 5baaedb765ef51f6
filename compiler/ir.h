/* The intermediate representation between the statements and the binary
 * policy: every rule resolved, merged and in the order the writer emits it. */
#ifndef CORDON_IR_H
#define CORDON_IR_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "compile.h"
#include "cpb_format.h"

#define IR_NR_MAX 1024 /* syscall numbers of the target (x86_64 uses < 512) */

/* One path with everything the policy says about it. */
struct ir_fs_rule {
	enum cpb_base base;
	const char *path;         /* normalized: no "//", no ".", no trailing "/" */
	bool dir;                 /* some rule wrote it with a trailing "/" */
	unsigned allow_words;     /* ACC_* */
	unsigned deny_words;
	uint64_t allow, deny;     /* Landlock rights, filled from the words */
	/* the first rule of each word: locations in the statements' items */
	const struct cordon_loc *allow_loc[4], *deny_loc[4];
};

struct ir_env_rule {
	const char *pattern;      /* name or glob; for SET, the name */
	const char *value;        /* SET only */
	enum cpb_env_action action;
	bool glob, expand;
	unsigned literals;        /* non-wildcard characters: specificity */
	unsigned order;           /* statement order: later wins ties */
	struct cordon_loc loc;
};

struct ir_ports {
	enum net_dir dir;
	uint16_t lo, hi;
	struct cordon_loc loc;
};

struct ir_syscall {
	enum sys_action action;   /* 0: not named by the policy */
	struct cordon_loc loc;
};

/* One protection (`protect`), after every `unprotect` of the compile. */
struct ir_protect {
	uint8_t kind;             /* CPB_PROT_* */
	enum cpb_base base;       /* CPB_BASE_WORKSPACE for a named one */
	const char *path;         /* normalized as ir_fs_rule; "" for a named one */
	bool dir;                 /* some statement wrote it with a trailing "/" */
	const struct cordon_loc *loc; /* its first protect, in the statement's item */
};

struct ir {
	struct ir_fs_rule *fs;
	size_t nfs;
	struct ir_env_rule *env;  /* ALLOW/DENY in precedence order, then SETs */
	size_t nenv;
	struct ir_ports *ports;   /* sorted by (dir, lo), merged */
	size_t nports;
	bool net_all, net_unix;
	uint32_t limits_present;  /* 1 << LIM_* */
	uint64_t limit[LIM_COUNT];/* bytes, tasks, ms, ms, milli-CPUs, files, bytes */
	struct cordon_loc limit_loc[LIM_COUNT];
	struct ir_syscall sys[IR_NR_MAX];
	struct ir_protect *prot;  /* sorted by (kind, base, path), merged */
	size_t nprot;
	bool best_effort;
	uint64_t handled_fs, handled_net, scoped;
	uint32_t features;
	unsigned landlock_abi;
	uint32_t arch;
};

/* Resolves and merges c->stmts into ir, reporting errors and warnings.
 * Returns false when there were errors.  The IR's strings belong to c:
 * free the IR before the context. */
bool lower(struct compile_ctx *c, struct ir *ir);
void ir_free(struct ir *ir);

/* Shared by the lowering passes (compiler/lower.c, compiler/lower_protect.c). */
/* Splits a written path into its base and the normalized rest; *dir when it
 * was written with a trailing '/' below its base.  Reports what is wrong. */
bool lower_path(struct compile_ctx *c, const struct item *it, enum cpb_base *base,
		char **rest, bool *dir);
/* A warning about two rules concerns the person who can change one of them:
 * true when either is in the file being compiled. */
bool lower_concerns_user(const struct cordon_loc *a, const struct cordon_loc *b);
/* "FILE:LINE" of l, in buf. */
const char *lower_where(const struct cordon_loc *l, char *buf, size_t len);
void lower_protect(struct compile_ctx *c, struct ir *ir);

/* The default seccomp deny set and syscall names (compiler/syscalls.c). */
struct default_deny {
	const char *name;
	int err;                  /* errno answered, or 0 to kill */
};
extern const struct default_deny default_denies[];
extern const size_t n_default_denies;
/* x86_64 syscall number of name, or -1. */
int syscall_number(const char *name);
const char *syscall_name(uint32_t nr, char buf[64]);
/* Every syscall name known, for "did you mean" (caller frees each and all). */
char **syscall_names(size_t *n);
bool in_default_deny(int nr);

/* The seccomp program for ir (compiler/seccomp_gen.c): a malloc'd array of
 * 8-byte instructions in struct sock_filter layout. */
bool seccomp_generate(struct compile_ctx *c, const struct ir *ir,
		      struct sock_filter **prog, size_t *n);

/* The .cpb bytes for ir and its seccomp program (compiler/writer.c). */
bool cpb_write(const struct ir *ir, const struct sock_filter *prog, size_t n,
	       uint8_t **out, size_t *out_len);

#endif
