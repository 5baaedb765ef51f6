#include "rpn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STACK_MAX 64

int rpn_eval(const char *expr, long *result, char *err, unsigned errlen)
{
	long stack[STACK_MAX];
	int n = 0;
	const char *p = expr;
	while (*p) {
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (isdigit((unsigned char)*p)) {
			char *end;
			long v = strtol(p, &end, 10);
			if (n == STACK_MAX) {
				snprintf(err, errlen, "stack full");
				return -1;
			}
			stack[n++] = v;
			p = end;
			continue;
		}
		if (!strchr("+-*/", *p) || (p[1] && !isspace((unsigned char)p[1]))) {
			snprintf(err, errlen, "bad token at '%s'", p);
			return -1;
		}
		if (n < 2) {
			snprintf(err, errlen, "'%c' needs two operands", *p);
			return -1;
		}
		long b = stack[--n], a = stack[--n];
		switch (*p) {
		case '+': stack[n++] = a + b; break;
		case '-': stack[n++] = a - b; break;
		case '*': stack[n++] = a * b; break;
		case '/':
			if (b == 0) {
				snprintf(err, errlen, "division by zero");
				return -1;
			}
			stack[n++] = a / b;
			break;
		}
		p++;
	}
	if (n != 1) {
		snprintf(err, errlen, "%d values left", n);
		return -1;
	}
	*result = stack[0];
	return 0;
}
