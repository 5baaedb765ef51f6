/* A reverse Polish notation calculator: "2 3 + 4 *" is 20. */
#ifndef RPN_H
#define RPN_H

/* Evaluates expr into *result: 0, or -1 with a message in err. */
int rpn_eval(const char *expr, long *result, char *err, unsigned errlen);

#endif
