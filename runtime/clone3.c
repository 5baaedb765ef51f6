/* clone3 with a child function (see clone3.h).  The kernel starts the child
 * at the instruction after `syscall` with its stack pointer at
 * stack + stack_size; everything else it needs is in registers that the
 * syscall preserves (only rcx and r11 are clobbered). */
#include "clone3.h"

#include <errno.h>

#if defined(__x86_64__)
__asm__(".text\n"
	".globl cordon_clone3\n"
	".type cordon_clone3, @function\n"
	"cordon_clone3:\n"
	"	mov %rcx, %r8\n"   /* arg */
	"	mov %rdx, %r9\n"   /* fn */
	"	mov $435, %eax\n"  /* __NR_clone3 */
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jz 1f\n"
	"	ret\n"             /* the parent: pid or -errno */
	"1:	xor %ebp, %ebp\n"  /* the child: outermost frame */
	"	mov %r8, %rdi\n"
	"	call *%r9\n"
	"	mov %eax, %edi\n"
	"	mov $60, %eax\n"   /* __NR_exit */
	"	syscall\n"
	"	hlt\n"
	".size cordon_clone3, .-cordon_clone3\n");
#else
long cordon_clone3(struct cordon_clone_args *args, size_t size, int (*fn)(void *), void *arg)
{
	(void)args, (void)size, (void)fn, (void)arg;
	return -ENOSYS;
}
#endif
