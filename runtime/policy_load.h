/* The binary policy reader: loads a .cpb file and validates every offset,
 * length, count and enum before anything uses it (include/cpb_format.h). */
#ifndef CORDON_POLICY_LOAD_H
#define CORDON_POLICY_LOAD_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpb_format.h"

struct cpb_fs_rule {
	const char *path;
	enum cpb_base base;
	uint64_t allow, deny;
	bool dir; /* written with a trailing '/' (CPB_FSF_DIR) */
};

struct cpb_net_rule {
	enum cpb_net_kind kind;
	enum cpb_net_proto proto;
	uint16_t lo, hi;
};

struct cpb_env_rule {
	const char *pattern;
	const char *value; /* SET only, else NULL */
	enum cpb_env_action action;
	uint8_t flags;
};

/* A protection (`protect`): kind CPB_PROT_PATH holds path below base (path
 * absolute for CPB_BASE_ROOT; "" = the base itself); a named protection
 * (kind CPB_PROT_NEW_REPOS ... CPB_PROT_HOME_WORKSPACE) has path "" and base
 * CPB_BASE_WORKSPACE.  dir: written with a trailing '/' (CPB_PROTF_DIR). */
struct cpb_protect {
	const char *path;
	enum cpb_base base;
	uint8_t kind; /* enum cpb_prot_kind */
	bool dir;
};

struct cpb_limits {
	uint32_t present; /* CPB_LIMIT_* */
	uint32_t cpu_milli;
	uint64_t memory, pids, time_ms, cputime_ms, files, fsize, disk;
};

/* A validated policy.  Strings point into data; arrays are decoded copies. */
struct cpb_policy {
	uint8_t *data;
	size_t size;
	uint16_t version;
	uint32_t arch, landlock_abi, flags;
	uint32_t checksum; /* CRC-32C */
	uint64_t handled_fs, handled_net, scoped;
	uint32_t features;
	struct cpb_fs_rule *fs;
	size_t nfs;
	struct cpb_net_rule *net;
	size_t nnet;
	struct cpb_env_rule *env;
	size_t nenv;
	struct cpb_limits limits;
	struct sock_filter *bpf;
	size_t nbpf;
	struct cpb_protect *prot; /* sorted by (kind, base, path), no repeats */
	size_t nprot;
};

/* Reads and validates path.  On failure returns -1 with a one-line reason
 * in err ("PATH: ..."), and p holds nothing to free. */
int cpb_load_file(const char *path, struct cpb_policy *p, char *err, size_t errlen);
/* Validates a buffer; takes ownership of data (malloc'd) in every case. */
int cpb_load_buffer(uint8_t *data, size_t size, struct cpb_policy *p,
		    char *err, size_t errlen);
void cpb_free(struct cpb_policy *p);

/* Layers: into becomes the limits of into and layer together, the
 * smallest of each limit either sets (a limit only one of them sets holds). */
void cpb_limits_combine(struct cpb_limits *into, const struct cpb_limits *layer);

const char *cpb_section_name(uint32_t type);
const char *cpb_base_name(enum cpb_base base);

#endif
