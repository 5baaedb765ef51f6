/* Running cordonc on a source policy.  The policy may be a repository's,
 * which is untrusted input: cordonc gets nothing of the caller's
 * environment (CORDON_PATH's directories become -I options), /dev/null as
 * standard input, at most CORDONC_TIMEOUT_MS of wall-clock time (then it is
 * killed and the run refused) and at most CORDONC_MAX_OUTPUT bytes of
 * diagnostics passed on to standard error (the rest is dropped, and that
 * is said). */
#ifndef CORDON_CORDONC_EXEC_H
#define CORDON_CORDONC_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#define CORDONC_TIMEOUT_MS 10000
#define CORDONC_MAX_OUTPUT 32768

struct cordonc_job {
	const char *cordonc;        /* the compiler */
	const char *policy;         /* the source policy */
	const char *untrusted_root; /* --untrusted ROOT (a discovered policy), or NULL */
	int out_fd;                 /* its standard output: the compiled policy (-o -) */
	int deps_fd;                /* --deps: the files it read, or -1 */
};

/* Runs the job.  Its exit status (0 compiled, 1 errors in the policy, 2
 * usage), or -1 with err saying why it could not run or was killed.  Its
 * diagnostics go to standard error, cut after CORDONC_MAX_OUTPUT bytes. */
int cordonc_exec(const struct cordonc_job *j, char *err, size_t errlen);

#endif
