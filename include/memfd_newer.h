/* memfd flags and seals of kernels newer than the system headers (Linux
 * 6.1): MFD_NOEXEC_SEAL and MFD_EXEC (Linux 6.3) and the seal that comes
 * with them.  Shared by the compiler's seccomp program, the runtime's and
 * the tests, which must agree on them. */
#ifndef CORDON_MEMFD_NEWER_H
#define CORDON_MEMFD_NEWER_H

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U /* never executable: mode 0666, F_SEAL_EXEC */
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U /* executable (mode 0777), whatever vm.memfd_noexec */
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020 /* the mode's exec bits cannot change */
#endif

#endif
