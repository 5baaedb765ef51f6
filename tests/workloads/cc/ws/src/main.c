#include <stdio.h>

#include "rpn.h"

int main(int argc, char **argv)
{
	char err[128];
	int status = 0;
	for (int i = 1; i < argc; i++) {
		long v;
		if (rpn_eval(argv[i], &v, err, sizeof err) == 0) {
			printf("%s = %ld\n", argv[i], v);
		} else {
			fprintf(stderr, "rpn: %s: %s\n", argv[i], err);
			status = 1;
		}
	}
	return status;
}
