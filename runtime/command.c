/* The executable a run starts (see command.h). */
#include "command.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *resolve_command(const char *cmd, char *const *env)
{
	if (strchr(cmd, '/'))
		return strdup(cmd);
	const char *path = "/usr/local/bin:/usr/bin:/bin";
	for (char *const *e = env; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;
	char *copy = strdup(path), *save = NULL;
	for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save)) {
		char cand[PATH_MAX];
		snprintf(cand, sizeof cand, "%s/%s", *d ? d : ".", cmd);
		struct stat st;
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0) {
			free(copy);
			return strdup(cand);
		}
	}
	free(copy);
	return NULL;
}
