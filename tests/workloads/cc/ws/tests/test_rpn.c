/* The calculator's own tests: each case, then "N/N tests passed". */
#include <stdio.h>
#include <string.h>

#include "rpn.h"

static int run, passed;

static void ok(const char *expr, long want)
{
	char err[128];
	long got;
	run++;
	if (rpn_eval(expr, &got, err, sizeof err) == 0 && got == want)
		passed++;
	else
		printf("FAIL: %s, wanted %ld\n", expr, want);
}

static void bad(const char *expr, const char *want_err)
{
	char err[128] = "";
	long got;
	run++;
	if (rpn_eval(expr, &got, err, sizeof err) != 0 && strcmp(err, want_err) == 0)
		passed++;
	else
		printf("FAIL: %s, wanted error '%s', got '%s'\n", expr, want_err, err);
}

int main(void)
{
	ok("42", 42);
	ok("2 3 +", 5);
	ok("2 3 + 4 *", 20);
	ok("10 4 -", 6);
	ok("7 2 /", 3);
	ok("1 2 3 4 5 + + + +", 15);
	bad("1 0 /", "division by zero");
	bad("1 +", "'+' needs two operands");
	bad("1 2", "2 values left");
	bad("2 x +", "bad token at 'x +'");
	printf("%d/%d tests passed\n", passed, run);
	return passed == run ? 0 : 1;
}
