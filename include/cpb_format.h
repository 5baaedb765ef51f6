/* The compiled policy format (.cpb), shared by the writer (compiler/writer.c)
 * and the reader (runtime/policy_load.c).  docs/format.md describes it in
 * words; this header is the definition.
 *
 * All integers are little-endian; the file holds no pointers, only offsets
 * from the start of the file.  Writer and reader go through the cpb_get and
 * cpb_put helpers below, never through a cast of the buffer, so that the
 * format does not depend on the host's byte order or alignment. */
#ifndef CORDON_CPB_FORMAT_H
#define CORDON_CPB_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define CPB_MAGIC      "\x7f" "CPB\r\n\x1a\n" /* 8 bytes; detects text-mode damage */
#define CPB_MAGIC_LEN  8
#define CPB_VERSION    2 /* 2: the PROTECT section; 1 is refused */
#define CPB_ARCH_X86_64 0xC000003EU /* AUDIT_ARCH_X86_64 */

#define CPB_MAX_FILE_SIZE   (16U << 20) /* the reader refuses larger files */
#define CPB_MAX_STRING      4096U       /* longest string, NUL included */
#define CPB_MAX_SECCOMP_INSNS 4096U     /* BPF_MAXINSNS */

/* ---- header: 64 bytes at offset 0 -------------------------------------- */
#define CPB_HDR_MAGIC          0  /* u8[8]  CPB_MAGIC */
#define CPB_HDR_VERSION        8  /* u16    CPB_VERSION */
#define CPB_HDR_HEADER_SIZE   10  /* u16    CPB_HEADER_SIZE */
#define CPB_HDR_ARCH          12  /* u32    AUDIT_ARCH_* of the seccomp program */
#define CPB_HDR_LANDLOCK_ABI  16  /* u32    Landlock ABI needed for full enforcement */
#define CPB_HDR_FLAGS         20  /* u32    CPB_FLAG_* */
#define CPB_HDR_FILE_SIZE     24  /* u64    size of the whole file */
#define CPB_HDR_SECTION_COUNT 32  /* u32    entries in the section table */
#define CPB_HDR_SECTION_TABLE 36  /* u32    offset of the section table */
#define CPB_HDR_RESERVED      40  /* u8[20] zero */
#define CPB_HDR_RESERVED_LEN  20
#define CPB_HDR_CHECKSUM      60  /* u32    CRC-32C of the whole file, this field zero */
#define CPB_HEADER_SIZE       64

#define CPB_FLAG_BEST_EFFORT  (1U << 0) /* the policy said `enforce best-effort` */
#define CPB_FLAGS_KNOWN       CPB_FLAG_BEST_EFFORT

/* ---- section table: section_count entries of 16 bytes ------------------- */
#define CPB_SECT_TYPE    0 /* u32 CPB_SEC_* */
#define CPB_SECT_COUNT   4 /* u32 number of entries */
#define CPB_SECT_OFFSET  8 /* u32 offset in the file, a multiple of 8 */
#define CPB_SECT_SIZE   12 /* u32 bytes; count * entry size, except STRINGS */
#define CPB_SECT_ENTRY_SIZE 16

/* Every section appears exactly once, in this order.  The data of the
 * sections follows the table, in table order, each padded with zeros to a
 * multiple of 8 bytes; nothing else is in the file. */
enum cpb_section_type {
	CPB_SEC_STRINGS   = 1, /* NUL-terminated strings; offset 0 is "" */
	CPB_SEC_LANDLOCK  = 2, /* 1 x cpb_landlock */
	CPB_SEC_FS_RULES  = 3, /* n x cpb_fs_rule, sorted by (base, path) */
	CPB_SEC_NET_RULES = 4, /* n x cpb_net_rule, sorted */
	CPB_SEC_SCOPES    = 5, /* 1 x cpb_scopes */
	CPB_SEC_ENV_RULES = 6, /* n x cpb_env_rule: matching rules in precedence order, then sets */
	CPB_SEC_LIMITS    = 7, /* 1 x cpb_limits */
	CPB_SEC_SECCOMP   = 8, /* n x cBPF instruction (struct sock_filter) */
	CPB_SEC_PROTECT   = 9, /* n x cpb_protect, sorted by (kind, base, path) */
	CPB_SEC_FIRST = CPB_SEC_STRINGS,
	CPB_SEC_LAST = CPB_SEC_PROTECT,
	CPB_SEC_COUNT = 9,
};

/* ---- LANDLOCK: 24 bytes ------------------------------------------------- */
#define CPB_LL_HANDLED_FS   0  /* u64 LANDLOCK_ACCESS_FS_* the ruleset handles */
#define CPB_LL_HANDLED_NET  8  /* u64 LANDLOCK_ACCESS_NET_* the ruleset handles */
#define CPB_LL_FEATURES    16  /* u32 CPB_FEAT_*: what full enforcement needs */
#define CPB_LL_RESERVED    20  /* u32 zero */
#define CPB_LL_SIZE        24

/* Kernel features a policy depends on for full enforcement, each with the
 * Landlock ABI that brought it (cpb_feature_abi).  The header's landlock_abi
 * is the highest ABI of the features set. */
#define CPB_FEAT_FS                (1U << 0) /* ABI 1: filesystem access control */
#define CPB_FEAT_TRUNCATE          (1U << 1) /* ABI 3: truncate of read-only files */
#define CPB_FEAT_NET_TCP           (1U << 2) /* ABI 4: TCP bind/connect port rules */
#define CPB_FEAT_IOCTL_DEV         (1U << 3) /* ABI 5: ioctl on devices */
#define CPB_FEAT_SCOPE_SIGNAL      (1U << 4) /* ABI 6: no signals out of the sandbox */
#define CPB_FEAT_SCOPE_ABSTRACT_UNIX (1U << 5) /* ABI 6: no abstract unix sockets out */
#define CPB_FEAT_RESOLVE_UNIX      (1U << 6) /* ABI 9: pathname unix socket connects */
#define CPB_FEAT_COUNT             7
#define CPB_FEATS_KNOWN            ((1U << CPB_FEAT_COUNT) - 1)

/* ---- FS_RULES: 24 bytes each -------------------------------------------- */
#define CPB_FS_PATH      0  /* u32 string: absolute path (base ROOT) or path below the base ("" = the base) */
#define CPB_FS_BASE      4  /* u8  CPB_BASE_* */
#define CPB_FS_FLAGS     5  /* u8  CPB_FSF_* */
#define CPB_FS_RESERVED  6  /* u16 zero */
#define CPB_FS_ALLOW     8  /* u64 LANDLOCK_ACCESS_FS_* allowed beneath the path */
#define CPB_FS_DENY     16  /* u64 LANDLOCK_ACCESS_FS_* denied beneath the path (wins) */
#define CPB_FS_RULE_SIZE 24

/* The policy wrote the path with a trailing '/': a directory.  When a deny
 * of writing it lies in a writable tree and it does not exist at the start
 * of a run, the runtime makes it (empty) so that it can be held read-only. */
#define CPB_FSF_DIR   (1U << 0)
#define CPB_FSF_KNOWN CPB_FSF_DIR

enum cpb_base {
	CPB_BASE_ROOT = 0,      /* an absolute path */
	CPB_BASE_HOME = 1,      /* ~ and ${HOME}: the invoking user's home */
	CPB_BASE_TMPDIR = 2,    /* ${TMPDIR} */
	CPB_BASE_WORKSPACE = 3, /* ${WORKSPACE}, and every relative path */
	CPB_BASE_COUNT = 4,
};

/* ---- NET_RULES: 8 bytes each -------------------------------------------- */
#define CPB_NET_KIND     0 /* u8  CPB_NET_BIND or CPB_NET_CONNECT */
#define CPB_NET_PROTO    1 /* u8  CPB_PROTO_TCP */
#define CPB_NET_RESERVED 2 /* u16 zero */
#define CPB_NET_PORT_LO  4 /* u16 first port */
#define CPB_NET_PORT_HI  6 /* u16 last port, >= first */
#define CPB_NET_RULE_SIZE 8

enum cpb_net_kind { CPB_NET_BIND = 1, CPB_NET_CONNECT = 2 };
enum cpb_net_proto { CPB_PROTO_TCP = 6 };

/* ---- SCOPES: 8 bytes ---------------------------------------------------- */
#define CPB_SCOPES_SCOPED 0 /* u64 LANDLOCK_SCOPE_* */
#define CPB_SCOPES_SIZE   8

/* ---- ENV_RULES: 12 bytes each ------------------------------------------- */
#define CPB_ENV_PATTERN  0 /* u32 string: a name, or a glob with * and ? */
#define CPB_ENV_VALUE    4 /* u32 string: the value of a SET, else 0 */
#define CPB_ENV_ACTION   8 /* u8  CPB_ENV_* */
#define CPB_ENV_FLAGS    9 /* u8  CPB_ENVF_* */
#define CPB_ENV_RESERVED 10 /* u16 zero */
#define CPB_ENV_RULE_SIZE 12

/* The runtime keeps an inherited variable when the first ALLOW or DENY rule
 * (in table order) that matches its name is an ALLOW, then adds every SET.
 * The compiler orders the table so that first match is the language's
 * precedence rule; every SET comes after the last ALLOW/DENY. */
enum cpb_env_action { CPB_ENV_ALLOW = 1, CPB_ENV_DENY = 2, CPB_ENV_SET = 3 };
#define CPB_ENVF_GLOB   (1U << 0) /* pattern holds * or ? */
#define CPB_ENVF_EXPAND (1U << 1) /* value holds ${HOME}, ${TMPDIR} or ${WORKSPACE} */
#define CPB_ENVF_KNOWN  (CPB_ENVF_GLOB | CPB_ENVF_EXPAND)

/* ---- LIMITS: 64 bytes --------------------------------------------------- */
#define CPB_LIM_PRESENT    0 /* u32 CPB_LIMIT_* bits of the limits set */
#define CPB_LIM_CPU_MILLI  4 /* u32 thousandths of a CPU */
#define CPB_LIM_MEMORY     8 /* u64 bytes */
#define CPB_LIM_PIDS      16 /* u64 tasks */
#define CPB_LIM_TIME_MS   24 /* u64 wall-clock milliseconds */
#define CPB_LIM_CPUTIME_MS 32 /* u64 CPU milliseconds of the whole tree */
#define CPB_LIM_FILES     40 /* u64 open files per process (RLIMIT_NOFILE) */
#define CPB_LIM_FSIZE     48 /* u64 bytes per file (RLIMIT_FSIZE) */
#define CPB_LIM_DISK      56 /* u64 bytes the writable filesystems may grow by */
#define CPB_LIMITS_SIZE   64

#define CPB_LIMIT_MEMORY  (1U << 0)
#define CPB_LIMIT_PIDS    (1U << 1)
#define CPB_LIMIT_TIME    (1U << 2)
#define CPB_LIMIT_CPUTIME (1U << 3)
#define CPB_LIMIT_CPU     (1U << 4)
#define CPB_LIMIT_FILES   (1U << 5)
#define CPB_LIMIT_FSIZE   (1U << 6)
#define CPB_LIMIT_DISK    (1U << 7)
#define CPB_LIMITS_KNOWN  ((1U << 8) - 1)

/* ---- SECCOMP: 8 bytes per instruction ----------------------------------- */
#define CPB_BPF_CODE 0 /* u16 */
#define CPB_BPF_JT   2 /* u8 */
#define CPB_BPF_JF   3 /* u8 */
#define CPB_BPF_K    4 /* u32 */
#define CPB_BPF_INSN_SIZE 8

/* ---- PROTECT: 8 bytes each -------------------------------------------- */
#define CPB_PR_PATH      0 /* u32 string: as CPB_FS_PATH; "" for a named protection */
#define CPB_PR_BASE      4 /* u8  CPB_BASE_*; CPB_BASE_WORKSPACE for a named one */
#define CPB_PR_KIND      5 /* u8  CPB_PROT_* */
#define CPB_PR_FLAGS     6 /* u8  CPB_PROTF_* */
#define CPB_PR_RESERVED  7 /* u8  zero */
#define CPB_PROTECT_SIZE   8

/* What `protect` holds: the command can neither create, change, remove nor
 * rename the path or anything beneath it (CPB_PROT_PATH), or a named
 * protection of the workspace (docs/language.md says what each holds). */
enum cpb_prot_kind {
	CPB_PROT_PATH = 1,
	CPB_PROT_NEW_REPOS = 2,      /* new-repositories */
	CPB_PROT_GIT_HOOKS_PATH = 3, /* git-hooks-path */
	CPB_PROT_GIT_POINTERS = 4,   /* git-pointers */
	CPB_PROT_HOME_WORKSPACE = 5, /* home-workspace */
	CPB_PROT_FIRST = CPB_PROT_PATH,
	CPB_PROT_LAST = CPB_PROT_HOME_WORKSPACE,
};
/* The path was written with a trailing '/': a directory, which the runtime
 * makes (empty) before the run when it does not exist, to hold it. */
#define CPB_PROTF_DIR   (1U << 0)
#define CPB_PROTF_KNOWN CPB_PROTF_DIR

/* The language's name of a named protection (kind >= 2), or NULL. */
static inline const char *cpb_prot_name(unsigned kind)
{
	static const char *const names[] = {"new-repositories", "git-hooks-path",
					    "git-pointers", "home-workspace"};
	return kind > CPB_PROT_PATH && kind <= CPB_PROT_LAST
		       ? names[kind - CPB_PROT_NEW_REPOS] : NULL;
}

/* ---- helpers ------------------------------------------------------------- */
static inline uint16_t cpb_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t cpb_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}
static inline uint64_t cpb_get64(const uint8_t *p)
{
	return (uint64_t)cpb_get32(p) | (uint64_t)cpb_get32(p + 4) << 32;
}
static inline void cpb_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static inline void cpb_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static inline void cpb_put64(uint8_t *p, uint64_t v)
{
	cpb_put32(p, (uint32_t)v);
	cpb_put32(p + 4, (uint32_t)(v >> 32));
}

/* The Landlock ABI that brought each feature bit (index = bit number). */
static inline unsigned cpb_feature_abi(unsigned bit)
{
	static const unsigned char abi[CPB_FEAT_COUNT] = {1, 3, 4, 5, 6, 6, 9};
	return bit < CPB_FEAT_COUNT ? abi[bit] : 0;
}
static inline unsigned cpb_features_abi(uint32_t features)
{
	unsigned max = 0;
	for (unsigned b = 0; b < CPB_FEAT_COUNT; b++)
		if ((features & (1U << b)) && cpb_feature_abi(b) > max)
			max = cpb_feature_abi(b);
	return max;
}
static inline const char *cpb_feature_name(unsigned bit)
{
	static const char *const names[CPB_FEAT_COUNT] = {
		"filesystem access control", "truncate control",
		"TCP port rules", "device ioctl control", "signal scoping",
		"abstract unix socket scoping", "pathname unix socket control"};
	return bit < CPB_FEAT_COUNT ? names[bit] : "unknown";
}

#endif
