/* The policy reader refuses anything malformed: a compiled policy is
 * truncated at every length, has every bit flipped, gets targeted
 * corruptions that keep its checksum valid (resealed), random resealed
 * damage (for the sanitizers), and oversized files.
 * usage: test_policy CORDONC */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpb_format.h"
#include "policy_load.h"
#include "crc32c.h"
#include "tap.h"

static const char *policy_text =
	"allow read,exec /usr/lib;\n"
	"allow read ./src;\n"
	"deny read ./src/secrets;\n"
	"allow read,write ./build ${TMPDIR};\n"
	"deny env *;\n"
	"allow env PATH HOME LC_*;\n"
	"set env GREETING=hello;\n"
	"net connect tcp 443 8000-8080;\n"
	"net bind tcp 8080;\n"
	"limit memory 512M; limit pids 64; limit time 30s;\n"
	"syscall deny getppid;\n"
	"protect ./.vscode/ ~/.bashrc new-repositories git-pointers;\n";

static char tmpdir[] = "/tmp/cordon-test-policy-XXXXXX";

static int compile(const char *cordonc, const char *text, const char *out)
{
	char src[256];
	snprintf(src, sizeof src, "%s/p.cordon", tmpdir);
	FILE *f = fopen(src, "w");
	if (!f)
		return -1;
	fputs(text, f);
	fclose(f);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		execl(cordonc, cordonc, "-o", out, src, (char *)NULL);
		_exit(127);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = malloc(1 << 20);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/* Loads a copy of data; returns 0 when the reader accepts it. */
static int try_load(const uint8_t *data, size_t len, char *err, size_t errlen)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, data, len);
	struct cpb_policy p;
	int r = cpb_load_buffer(copy, len, &p, err, errlen);
	if (r == 0)
		cpb_free(&p);
	return r;
}

static void reseal(uint8_t *d, size_t len)
{
	cpb_put32(d + CPB_HDR_CHECKSUM, 0);
	cpb_put32(d + CPB_HDR_CHECKSUM, cordon_crc32c(0, d, len));
}

static uint32_t sect_off(const uint8_t *d, unsigned type)
{
	return cpb_get32(d + CPB_HEADER_SIZE + (type - 1) * CPB_SECT_ENTRY_SIZE +
			 CPB_SECT_OFFSET);
}

static uint32_t sect_count(const uint8_t *d, unsigned type)
{
	return cpb_get32(d + CPB_HEADER_SIZE + (type - 1) * CPB_SECT_ENTRY_SIZE +
			 CPB_SECT_COUNT);
}

struct mutation {
	const char *what;
	const char *expect; /* a part of the reader's message */
	void (*apply)(uint8_t *d, size_t len);
};

#define MUT(name, body) \
	static void name(uint8_t *d, size_t len) { (void)len; body; }

MUT(m_version, cpb_put16(d + CPB_HDR_VERSION, 1))
MUT(m_version3, cpb_put16(d + CPB_HDR_VERSION, CPB_VERSION + 1))
MUT(m_hdrsize, cpb_put16(d + CPB_HDR_HEADER_SIZE, 96))
MUT(m_arch, cpb_put32(d + CPB_HDR_ARCH, 0x40000003))
MUT(m_flags, cpb_put32(d + CPB_HDR_FLAGS, 0x80))
MUT(m_reserved, d[CPB_HDR_RESERVED + 3] = 1)
MUT(m_abi, cpb_put32(d + CPB_HDR_LANDLOCK_ABI, 2))
MUT(m_nsect, cpb_put32(d + CPB_HDR_SECTION_COUNT, 7))
MUT(m_table, cpb_put32(d + CPB_HDR_SECTION_TABLE, 72))
MUT(m_secttype, cpb_put32(d + CPB_HEADER_SIZE + 2 * CPB_SECT_ENTRY_SIZE, 9))
MUT(m_sectoff, cpb_put32(d + CPB_HEADER_SIZE + 3 * CPB_SECT_ENTRY_SIZE + CPB_SECT_OFFSET,
			 sect_off(d, 4) + 8))
MUT(m_sectsize, cpb_put32(d + CPB_HEADER_SIZE + 2 * CPB_SECT_ENTRY_SIZE + CPB_SECT_COUNT,
			  sect_count(d, 3) + 1))
MUT(m_strcount, cpb_put32(d + CPB_HEADER_SIZE + CPB_SECT_COUNT, sect_count(d, 1) + 1))
MUT(m_strfirst, d[sect_off(d, CPB_SEC_STRINGS)] = 'x')
MUT(m_fspath, cpb_put32(d + sect_off(d, CPB_SEC_FS_RULES) + CPB_FS_PATH, 0xFFFFFF))
MUT(m_fsmid, cpb_put32(d + sect_off(d, CPB_SEC_FS_RULES) + CPB_FS_PATH,
		       cpb_get32(d + sect_off(d, CPB_SEC_FS_RULES) + CPB_FS_PATH) + 1))
MUT(m_fsbase, d[sect_off(d, CPB_SEC_FS_RULES) + CPB_FS_BASE] = 9)
MUT(m_fsrootbase, d[sect_off(d, CPB_SEC_FS_RULES) + CPB_FS_BASE] = CPB_BASE_HOME)
MUT(m_fsflags, d[sect_off(d, CPB_SEC_FS_RULES) + CPB_FS_FLAGS] = 2) /* bit 0 is CPB_FSF_DIR */
MUT(m_fsbits, d[sect_off(d, CPB_SEC_FS_RULES) + CPB_FS_ALLOW + 5] = 1)
MUT(m_fsempty, memset(d + sect_off(d, CPB_SEC_FS_RULES) + CPB_FS_ALLOW, 0, 16))
MUT(m_fsorder, {
	uint8_t t[CPB_FS_RULE_SIZE];
	uint8_t *a = d + sect_off(d, CPB_SEC_FS_RULES);
	memcpy(t, a, sizeof t);
	memcpy(a, a + CPB_FS_RULE_SIZE, sizeof t);
	memcpy(a + CPB_FS_RULE_SIZE, t, sizeof t);
})
MUT(m_netkind, d[sect_off(d, CPB_SEC_NET_RULES) + CPB_NET_KIND] = 3)
MUT(m_netproto, d[sect_off(d, CPB_SEC_NET_RULES) + CPB_NET_PROTO] = 17)
MUT(m_netrange, cpb_put16(d + sect_off(d, CPB_SEC_NET_RULES) + CPB_NET_PORT_LO, 65535))
MUT(m_scopes, d[sect_off(d, CPB_SEC_SCOPES)] = 0x10)
MUT(m_envaction, d[sect_off(d, CPB_SEC_ENV_RULES) + CPB_ENV_ACTION] = 9)
MUT(m_envflags, d[sect_off(d, CPB_SEC_ENV_RULES) + CPB_ENV_FLAGS] = 0x80)
MUT(m_envvalue, cpb_put32(d + sect_off(d, CPB_SEC_ENV_RULES) + CPB_ENV_VALUE, 1))
MUT(m_limbits, d[sect_off(d, CPB_SEC_LIMITS) + CPB_LIM_PRESENT + 1] = 1)
MUT(m_limvalue, d[sect_off(d, CPB_SEC_LIMITS) + CPB_LIM_FSIZE] = 1)
MUT(m_bpfjump, { /* ja far past the end */
	cpb_put16(d + sect_off(d, CPB_SEC_SECCOMP) + CPB_BPF_CODE, 0x05);
	cpb_put32(d + sect_off(d, CPB_SEC_SECCOMP) + CPB_BPF_K, 100000);
})
MUT(m_bpfop, cpb_put16(d + sect_off(d, CPB_SEC_SECCOMP) + CPB_BPF_CODE, 0x00ff))
MUT(m_bpfret, cpb_put16(d + sect_off(d, CPB_SEC_SECCOMP) +
			 (sect_count(d, CPB_SEC_SECCOMP) - 1) * CPB_BPF_INSN_SIZE + CPB_BPF_CODE,
			 0x0020))
/* the test policy's protections, in order: ~/.bashrc, ./.vscode/,
 * new-repositories, git-pointers */
#define PROT(i) (d + sect_off(d, CPB_SEC_PROTECT) + (i) * CPB_PROTECT_SIZE)
MUT(m_protkind, PROT(0)[CPB_PR_KIND] = CPB_PROT_LAST + 1)
MUT(m_protkind0, PROT(0)[CPB_PR_KIND] = 0)
MUT(m_protbase, PROT(0)[CPB_PR_BASE] = CPB_BASE_COUNT)
MUT(m_protrootbase, PROT(0)[CPB_PR_BASE] = CPB_BASE_ROOT)
MUT(m_protflags, PROT(1)[CPB_PR_FLAGS] = 2) /* bit 0 is CPB_PROTF_DIR */
MUT(m_protres, PROT(1)[CPB_PR_RESERVED] = 1)
MUT(m_protpath, cpb_put32(PROT(0) + CPB_PR_PATH, 0xFFFFFF))
MUT(m_protmid, cpb_put32(PROT(0) + CPB_PR_PATH, cpb_get32(PROT(0) + CPB_PR_PATH) + 1))
MUT(m_protorder, {
	uint8_t t[CPB_PROTECT_SIZE];
	memcpy(t, PROT(0), sizeof t);
	memcpy(PROT(0), PROT(1), sizeof t);
	memcpy(PROT(1), t, sizeof t);
})
MUT(m_protrepeat, memcpy(PROT(3), PROT(2), CPB_PROTECT_SIZE))
MUT(m_protnamedpath, memcpy(PROT(2) + CPB_PR_PATH, PROT(0) + CPB_PR_PATH, 4))
MUT(m_protnamedbase, PROT(2)[CPB_PR_BASE] = CPB_BASE_HOME)
MUT(m_protnameddir, PROT(3)[CPB_PR_FLAGS] = CPB_PROTF_DIR)
MUT(m_protcount, cpb_put32(d + CPB_HEADER_SIZE + (CPB_SEC_PROTECT - 1) * CPB_SECT_ENTRY_SIZE +
			   CPB_SECT_COUNT, sect_count(d, CPB_SEC_PROTECT) + 1))
MUT(m_llbits, d[sect_off(d, CPB_SEC_LANDLOCK) + CPB_LL_HANDLED_NET] = 0x30)

static const struct mutation mutations[] = {
	{"format version 1", "recompile the policy with this cordonc", m_version},
	{"a format version from the future", "format version", m_version3},
	{"header size", "header size", m_hdrsize},
	{"i386 architecture", "architecture", m_arch},
	{"unknown header flag", "unknown flags", m_flags},
	{"reserved header byte", "reserved header", m_reserved},
	{"Landlock ABI not matching the features", "Landlock ABI", m_abi},
	{"section count", "sections", m_nsect},
	{"section table offset", "section table", m_table},
	{"section type", "type", m_secttype},
	{"section offset", "offset", m_sectoff},
	{"section count vs size", "entries do not fill", m_sectsize},
	{"string count", "strings", m_strcount},
	{"string section not starting with NUL", "string section", m_strfirst},
	{"fs path out of range", "bad path reference", m_fspath},
	{"fs path into the middle of a string", "bad path reference", m_fsmid},
	{"fs base out of range", "unknown base", m_fsbase},
	{"fs absolute path on a relative base", "does not fit base", m_fsrootbase},
	{"fs flags", "unknown flags", m_fsflags},
	{"fs right outside the handled set", "outside the handled", m_fsbits},
	{"fs rule granting nothing", "grants and denies nothing", m_fsempty},
	{"fs rules out of order", "not sorted", m_fsorder},
	{"net kind", "unknown kind", m_netkind},
	{"net protocol", "unknown protocol", m_netproto},
	{"net port range reversed", "bad port range", m_netrange},
	{"unknown scope", "unknown scopes", m_scopes},
	{"env action", "unknown action", m_envaction},
	{"env flags", "unknown flags", m_envflags},
	{"env value on an allow", "value on a rule", m_envvalue},
	{"unknown limit", "unknown limits", m_limbits},
	{"limit value without its bit", "not set", m_limvalue},
	{"seccomp jump past the end", "seccomp program rejected", m_bpfjump},
	{"seccomp unknown opcode", "seccomp program rejected", m_bpfop},
	{"seccomp not ending in ret", "seccomp program rejected", m_bpfret},
	{"unknown network right", "unknown network rights", m_llbits},
	{"protection kind past the last", "unknown kind", m_protkind},
	{"protection kind 0", "unknown kind", m_protkind0},
	{"protection base out of range", "unknown base", m_protbase},
	{"protection of a relative path on the root base", "does not fit base", m_protrootbase},
	{"protection flags", "unknown flags", m_protflags},
	{"protection reserved byte", "reserved byte", m_protres},
	{"protection path out of range", "bad path reference", m_protpath},
	{"protection path into the middle of a string", "bad path reference", m_protmid},
	{"protections out of order", "not sorted", m_protorder},
	{"a protection repeated", "not sorted or repeat", m_protrepeat},
	{"a named protection with a path", "takes no path", m_protnamedpath},
	{"a named protection on another base", "takes no path", m_protnamedbase},
	{"a named protection with the directory flag", "takes no path", m_protnameddir},
	{"protect section count vs size", "entries do not fill", m_protcount},
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_policy CORDONC\n");
		return 2;
	}
	if (!mkdtemp(tmpdir))
		tap_skip_all("mkdtemp: %s", strerror(errno));
	char cpb[256];
	snprintf(cpb, sizeof cpb, "%s/p.cpb", tmpdir);
	tap_ok(compile(argv[1], policy_text, cpb) == 0, "cordonc compiles the test policy");
	size_t len;
	uint8_t *d = slurp(cpb, &len);
	if (!d)
		tap_skip_all("cannot read %s", cpb);
	char err[512];
	struct cpb_policy p;
	int r = cpb_load_file(cpb, &p, err, sizeof err);
	tap_ok(r == 0, "the reader accepts it%s%s", r ? ": " : "", r ? err : "");
	if (r == 0) {
		tap_ok(p.nfs == 5 && p.nnet == 3 && p.nenv == 5 && p.nbpf > 10,
		       "it holds 5 fs rules (%zu), 3 net rules (%zu), 5 env rules (%zu)",
		       p.nfs, p.nnet, p.nenv);
		tap_ok(p.nprot == 4 && p.prot[0].kind == CPB_PROT_PATH &&
			       p.prot[0].base == CPB_BASE_HOME &&
			       strcmp(p.prot[0].path, ".bashrc") == 0 && !p.prot[0].dir &&
			       p.prot[1].base == CPB_BASE_WORKSPACE &&
			       strcmp(p.prot[1].path, ".vscode") == 0 && p.prot[1].dir &&
			       p.prot[2].kind == CPB_PROT_NEW_REPOS && !p.prot[2].path[0] &&
			       p.prot[3].kind == CPB_PROT_GIT_POINTERS,
		       "its 4 protections read back (%zu): ~/.bashrc, ./.vscode/, "
		       "new-repositories, git-pointers", p.nprot);
		tap_ok(p.limits.memory == 512ULL << 20 && p.limits.pids == 64 &&
			       p.limits.time_ms == 30000,
		       "limits read back: memory %llu, pids %llu, time %llu ms",
		       (unsigned long long)p.limits.memory,
		       (unsigned long long)p.limits.pids,
		       (unsigned long long)p.limits.time_ms);
		cpb_free(&p);
	}

	size_t bad = 0;
	for (size_t n = 0; n < len; n++)
		bad += try_load(d, n, err, sizeof err) == 0;
	tap_ok(bad == 0, "every truncation (0 to %zu bytes) is refused (%zu accepted)",
	       len - 1, bad);

	bad = 0;
	uint8_t *m = malloc(len);
	for (size_t bit = 0; bit < len * 8; bit++) {
		memcpy(m, d, len);
		m[bit / 8] ^= (uint8_t)(1U << (bit % 8));
		bad += try_load(m, len, err, sizeof err) == 0;
	}
	tap_ok(bad == 0, "every one of %zu single-bit flips is refused (%zu accepted)",
	       len * 8, bad);

	for (size_t i = 0; i < sizeof mutations / sizeof mutations[0]; i++) {
		memcpy(m, d, len);
		mutations[i].apply(m, len);
		reseal(m, len);
		err[0] = '\0';
		r = try_load(m, len, err, sizeof err);
		tap_ok(r != 0 && strstr(err, mutations[i].expect),
		       "resealed corruption refused: %s (%s)", mutations[i].what,
		       r ? err : "accepted");
	}

	/* Random resealed damage: whatever the reader decides, it must not
	 * read out of bounds (the sanitizer build checks that). */
	unsigned seed = 12345, refused = 0, rounds = 3000;
	for (unsigned i = 0; i < rounds; i++) {
		memcpy(m, d, len);
		unsigned k = 1 + rand_r(&seed) % 4;
		for (unsigned j = 0; j < k; j++)
			m[(size_t)rand_r(&seed) % len] = (uint8_t)rand_r(&seed);
		reseal(m, len);
		refused += try_load(m, len, err, sizeof err) != 0;
	}
	tap_ok(refused > rounds / 2, "random resealed damage: %u of %u refused, none crashed",
	       refused, rounds);

	/* Oversized: larger than the format allows, and a header that lies. */
	size_t big = CPB_MAX_FILE_SIZE + 1;
	uint8_t *huge = calloc(1, big);
	memcpy(huge, d, len);
	cpb_put64(huge + CPB_HDR_FILE_SIZE, big);
	reseal(huge, big);
	r = try_load(huge, big, err, sizeof err);
	tap_ok(r != 0 && strstr(err, "larger"), "a %zu-byte file is refused (%s)", big, err);
	free(huge);
	uint8_t *padded = calloc(1, len + 8);
	memcpy(padded, d, len);
	reseal(padded, len + 8);
	r = try_load(padded, len + 8, err, sizeof err);
	tap_ok(r != 0, "a file with 8 bytes appended is refused (%s)", err);

	char path[300];
	snprintf(path, sizeof path, "%s/big.cpb", tmpdir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	tap_ok(fd >= 0 && ftruncate(fd, (off_t)CPB_MAX_FILE_SIZE * 4) == 0,
	       "made a sparse %u-byte file", CPB_MAX_FILE_SIZE * 4);
	close(fd);
	r = cpb_load_file(path, &p, err, sizeof err);
	tap_ok(r != 0 && strstr(err, "larger"), "cpb_load_file refuses it before reading (%s)",
	       err);
	r = cpb_load_file(tmpdir, &p, err, sizeof err);
	tap_ok(r != 0 && strstr(err, "not a regular file"), "a directory is refused (%s)", err);
	r = try_load((const uint8_t *)"", 0, err, sizeof err);
	tap_ok(r != 0, "an empty file is refused (%s)", err);
	r = try_load((const uint8_t *)policy_text, strlen(policy_text), err, sizeof err);
	tap_ok(r != 0 && strstr(err, "cordonc"), "a source policy is refused with a hint (%s)",
	       err);

	unlink(path);
	unlink(cpb);
	snprintf(path, sizeof path, "%s/p.cordon", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	free(m);
	free(padded);
	free(d);
	return tap_done();
}
