#!/bin/sh
# gen-policy.sh: print a deterministic synthetic cordon policy of N rules
# (statements) for the compile benchmark.
#
# usage: bench/gen-policy.sh N > policy.cordon
#
# The mix, for large N: ~60% filesystem allow/deny (distinct paths 3-6
# levels deep, denies carved inside allowed trees), 20% env allow/deny/set
# (exact names and prefix globs), 10% net connect/bind (ports and ranges),
# 10% syscall deny/kill (real x86_64 names, each at most once) and up to 7
# limit statements.  No two rules name the same path, env name, port or
# syscall, and no glob matches another rule's name, so a correct compiler
# has nothing to warn about.  Every rule has its own statement.  When N asks
# for more syscall or net rules than there are distinct syscalls or ports,
# the remainder become filesystem rules.  N=0 prints a comment only.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 N" >&2
	exit 2
fi
case $1 in
'' | *[!0-9]*)
	echo "$0: N must be a whole number, not '$1'" >&2
	exit 2
	;;
esac
if [ ${#1} -gt 7 ]; then
	echo "$0: N=$1 is too large (at most 9999999)" >&2
	exit 2
fi

# x86_64 syscalls (Linux 6.1 names), the usual dangerous ones first; left
# out: those every process needs to start (execve, mmap, brk, ...), the
# never-implemented ones, and the socket calls that net rules govern.
SYSCALLS='
	ptrace mount umount2 kexec_load kexec_file_load init_module
	finit_module delete_module bpf perf_event_open userfaultfd
	process_vm_readv process_vm_writev io_uring_setup io_uring_enter
	io_uring_register keyctl add_key request_key unshare setns pivot_root
	swapon swapoff reboot acct quotactl quotactl_fd iopl ioperm
	open_by_handle_at name_to_handle_at kcmp lookup_dcookie uselib ustat
	sysfs personality settimeofday clock_settime clock_adjtime adjtimex
	sethostname setdomainname syslog mbind move_pages migrate_pages vhangup
	chroot fsopen fsmount fspick fsconfig move_mount open_tree
	mount_setattr poll pwrite64 readv writev select sched_yield mremap
	msync mincore madvise shmget shmat shmctl pause nanosleep getitimer
	alarm setitimer sendfile kill semget semop semctl shmdt msgget msgsnd
	msgrcv msgctl flock fsync fdatasync truncate ftruncate getdents chdir
	fchdir rename mkdir rmdir creat link unlink symlink chmod fchmod chown
	fchown lchown umask gettimeofday getrlimit getrusage sysinfo times
	getuid getgid setuid setgid geteuid getegid setpgid getppid getpgrp
	setsid setreuid setregid getgroups setgroups setresuid getresuid
	setresgid getresgid getpgid setfsuid setfsgid getsid capget capset
	rt_sigpending rt_sigtimedwait rt_sigqueueinfo rt_sigsuspend utime mknod
	statfs fstatfs getpriority setpriority sched_setparam sched_getparam
	sched_setscheduler sched_getscheduler sched_get_priority_max
	sched_get_priority_min sched_rr_get_interval mlock munlock mlockall
	munlockall modify_ldt _sysctl prctl setrlimit sync readahead setxattr
	lsetxattr fsetxattr getxattr lgetxattr fgetxattr listxattr llistxattr
	flistxattr removexattr lremovexattr fremovexattr tkill time
	sched_setaffinity sched_getaffinity set_thread_area io_setup io_destroy
	io_getevents io_submit io_cancel get_thread_area epoll_create
	remap_file_pages semtimedop fadvise64 timer_create timer_settime
	timer_gettime timer_getoverrun timer_delete clock_gettime clock_getres
	clock_nanosleep epoll_wait epoll_ctl tgkill utimes set_mempolicy
	get_mempolicy mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify
	mq_getsetattr waitid ioprio_set ioprio_get inotify_init
	inotify_add_watch inotify_rm_watch mkdirat mknodat fchownat futimesat
	unlinkat renameat linkat symlinkat fchmodat pselect6 ppoll
	get_robust_list splice tee sync_file_range vmsplice utimensat
	epoll_pwait signalfd timerfd_create eventfd fallocate timerfd_settime
	timerfd_gettime signalfd4 eventfd2 epoll_create1 inotify_init1 preadv
	pwritev rt_tgsigqueueinfo fanotify_init fanotify_mark syncfs getcpu
	sched_setattr sched_getattr renameat2 seccomp memfd_create membarrier
	mlock2 copy_file_range preadv2 pwritev2 pkey_mprotect pkey_alloc
	pkey_free io_pgetevents pidfd_send_signal pidfd_open close_range
	pidfd_getfd process_madvise epoll_pwait2 landlock_create_ruleset
	landlock_add_rule landlock_restrict_self memfd_secret process_mrelease
	futex_waitv set_mempolicy_home_node'

exec awk -v n="$1" -v syscalls="$SYSCALLS" '
function min(a, b) { return a < b ? a : b }
function pick(list, i,    a, k) { k = split(list, a, " "); return a[i % k + 1] }

BEGIN {
	n += 0
	if (n == 0) {
		print "# gen-policy.sh 0: an empty policy (no rules)"
		exit
	}
	nsys = split(syscalls, sys, " ")
	netbase = 10000; netstep = 20
	netfixed = 6
	netmax = netfixed + int((65535 - 9 - netbase) / netstep) + 1

	nlim = n >= 10 ? min(7, 1 + int(n / 25)) : 0
	nnet = min(int(n / 10), netmax)
	nsc = min(int(n / 10), nsys)
	nenv = int(n / 5)
	nfs = n - nlim - nnet - nsc - nenv

	printf "# gen-policy.sh %d: a synthetic policy of %d rules for the compile benchmark\n", n, n
	printf "# %d filesystem, %d env, %d net, %d syscall, %d limit\n", nfs, nenv, nnet, nsc, nlim

	if (nlim) print "\n# resource limits"
	split("memory 512M|pids 64|time 30s|cputime 1m|cpu 0.5|files 256|fsize 100M", lim, "|")
	for (i = 0; i < nlim; i++)
		printf "limit %s;\n", lim[i + 1]

	if (nfs) print "\n# filesystem"
	projs = "billing search ledger gateway render crawler indexer mailer scheduler archive metrics auth"
	for (i = 0; i < nfs; i++) {
		g = int(i / 6); k = i % 6
		tree = "./" pick("services libs apps tools vendor packages modules crates", g) "/" pick(projs, g) g
		vendor = pick("acme initech globex umbrella hooli stark", g)
		if (k == 0)
			printf "allow read %s/src;\n", tree
		else if (k == 1)
			printf "deny read %s/src/%s/secrets;\n", tree, pick("config internal private credentials", g)
		else if (k == 2)
			printf "allow read,write %s/build/%s;\n", tree, pick("debug release test bench", g)
		else if (k == 3)
			printf "deny write %s/build/%s/pinned/manifests;\n", tree, pick("debug release test bench", g)
		else if (k == 4)
			printf "allow exec /opt/%s/%s%d/bin/%s;\n", vendor, pick(projs, g), g, pick("run build lint fmt check deploy", g)
		else if (g % 2 == 0)
			printf "allow read,exec /usr/lib/%s/%s%d/v%d/lib;\n", vendor, pick(projs, g), g, g % 5 + 1
		else
			printf "allow write /var/tmp/cordon-bench/%s%d/cache;\n", pick(projs, g), g
	}

	if (nenv) print "\n# environment"
	split("allow env PATH|allow env HOME|allow env LANG|allow env LC_*|allow env TERM|deny env AWS_*|deny env GITHUB_TOKEN|set env PYTHONDONTWRITEBYTECODE=1|allow env USER|deny env SSH_AUTH_SOCK|allow env TZ|set env CI=1", envfixed, "|")
	nfixed = 12
	for (i = 0; i < nenv; i++) {
		if (i < nfixed) {
			printf "%s;\n", envfixed[i + 1]
			continue
		}
		j = i - nfixed; g = int(j / 5); k = j % 5
		name = toupper(pick(projs, g)) g
		if (k == 0)
			printf "allow env %s_HOME;\n", name
		else if (k == 1)
			printf "deny env %s_API_TOKEN;\n", name
		else if (k == 2)
			printf "allow env %s_OPT_*;\n", name
		else if (k == 3)
			printf "deny env %s_SECRET_*;\n", name
		else
			printf "set env %s_LOG_LEVEL=%s;\n", name, pick("info debug warn", g)
	}

	if (nnet) print "\n# network"
	split("connect tcp 443|connect tcp 80|connect tcp 22|bind tcp 8080|connect tcp 5432|connect tcp 9000-9099", netfixed_rules, "|")
	for (i = 0; i < nnet; i++) {
		if (i < netfixed) {
			printf "net %s;\n", netfixed_rules[i + 1]
			continue
		}
		j = i - netfixed
		port = netbase + j * netstep
		kind = j % 2 ? "bind" : "connect"
		if (j % 3 == 2)
			printf "net %s tcp %d-%d;\n", kind, port, port + 9
		else
			printf "net %s tcp %d;\n", kind, port
	}

	if (nsc) print "\n# system calls"
	for (i = 0; i < nsc; i++)
		printf "syscall %s %s;\n", i % 2 ? "kill" : "deny", sys[i + 1]
}'
