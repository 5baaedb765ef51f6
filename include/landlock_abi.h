/* Landlock UAPI, ABI 1-10, defined here because the build machines' kernel
 * headers (Linux 6.1) only know ABI 1-2.  Values: include/uapi/linux/landlock.h
 * (Linux 7.2); see docs/format.md and ../shared/notes/landlock-constants.txt. */
#ifndef CORDON_LANDLOCK_ABI_H
#define CORDON_LANDLOCK_ABI_H

#include <stdint.h>

#define CORDON_LL_FS_EXECUTE       (1ULL << 0)  /* ABI 1 */
#define CORDON_LL_FS_WRITE_FILE    (1ULL << 1)
#define CORDON_LL_FS_READ_FILE     (1ULL << 2)
#define CORDON_LL_FS_READ_DIR      (1ULL << 3)
#define CORDON_LL_FS_REMOVE_DIR    (1ULL << 4)
#define CORDON_LL_FS_REMOVE_FILE   (1ULL << 5)
#define CORDON_LL_FS_MAKE_CHAR     (1ULL << 6)
#define CORDON_LL_FS_MAKE_DIR      (1ULL << 7)
#define CORDON_LL_FS_MAKE_REG      (1ULL << 8)
#define CORDON_LL_FS_MAKE_SOCK     (1ULL << 9)
#define CORDON_LL_FS_MAKE_FIFO     (1ULL << 10)
#define CORDON_LL_FS_MAKE_BLOCK    (1ULL << 11)
#define CORDON_LL_FS_MAKE_SYM      (1ULL << 12)
#define CORDON_LL_FS_REFER         (1ULL << 13) /* ABI 2 */
#define CORDON_LL_FS_TRUNCATE      (1ULL << 14) /* ABI 3 */
#define CORDON_LL_FS_IOCTL_DEV     (1ULL << 15) /* ABI 5 */
#define CORDON_LL_FS_RESOLVE_UNIX  (1ULL << 16) /* ABI 9 */

/* Every filesystem right of each ABI (cumulative). */
#define CORDON_LL_FS_ABI1 ((1ULL << 13) - 1)
#define CORDON_LL_FS_ABI2 (CORDON_LL_FS_ABI1 | CORDON_LL_FS_REFER)
#define CORDON_LL_FS_ABI3 (CORDON_LL_FS_ABI2 | CORDON_LL_FS_TRUNCATE)
#define CORDON_LL_FS_ABI5 (CORDON_LL_FS_ABI3 | CORDON_LL_FS_IOCTL_DEV)
#define CORDON_LL_FS_ABI9 (CORDON_LL_FS_ABI5 | CORDON_LL_FS_RESOLVE_UNIX)
#define CORDON_LL_FS_ALL  CORDON_LL_FS_ABI9

/* Rights that Landlock accepts on a rule for a non-directory. */
#define CORDON_LL_FS_FILE_RIGHTS                                               \
	(CORDON_LL_FS_EXECUTE | CORDON_LL_FS_WRITE_FILE | CORDON_LL_FS_READ_FILE | \
	 CORDON_LL_FS_TRUNCATE | CORDON_LL_FS_IOCTL_DEV | CORDON_LL_FS_RESOLVE_UNIX)

#define CORDON_LL_NET_BIND_TCP          (1ULL << 0) /* ABI 4 */
#define CORDON_LL_NET_CONNECT_TCP       (1ULL << 1) /* ABI 4 */
#define CORDON_LL_NET_BIND_UDP          (1ULL << 2) /* ABI 10 */
#define CORDON_LL_NET_CONNECT_SEND_UDP  (1ULL << 3) /* ABI 10 */

#define CORDON_LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define CORDON_LL_SCOPE_SIGNAL               (1ULL << 1) /* ABI 6 */

#define CORDON_LL_RULE_PATH_BENEATH 1
#define CORDON_LL_RULE_NET_PORT     2

#define CORDON_LL_CREATE_RULESET_VERSION (1U << 0)
#define CORDON_LL_CREATE_RULESET_ERRATA  (1U << 1)

#define CORDON_LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF (1U << 0) /* ABI 7 */
#define CORDON_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON   (1U << 1) /* ABI 7 */
#define CORDON_LL_RESTRICT_SELF_LOG_SUBDOMAINS_OFF (1U << 2) /* ABI 7 */
#define CORDON_LL_RESTRICT_SELF_TSYNC             (1U << 3) /* ABI 8 */

#define CORDON_LL_MAX_ABI 10

/* The full ruleset attribute of ABI 10; pass only as many bytes as the
 * running ABI knows (8 for ABI 1-3, 16 for 4-5, 24 for 6-9, 48 for 10). */
struct cordon_ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
	uint64_t quiet_access_fs;
	uint64_t quiet_access_net;
	uint64_t quiet_scoped;
};

struct cordon_ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct cordon_ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

#endif
