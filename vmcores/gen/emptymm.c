// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * emptymm: a static -nostdlib program that unmaps its whole address space.
 * The syscall returns into unmapped text, the instruction fetch faults and
 * the kernel reaches __bad_area_nosemaphore() with mm->map_count == 0 and an
 * empty maple tree while the task is alive. No glibc, hence no rseq area.
 */
void _start(void)
{
#if defined(__aarch64__)
	/*
	 * munmap = 215; the end is the 48-bit user window even under 52-bit
	 * VAs (LPA2): mappings stay below it unless asked for a higher hint.
	 */
	register long x0 __asm__("x0") = 0x1000;
	register long x1 __asm__("x1") = (1L << 48) - 0x1000;
	register long x8 __asm__("x8") = 215;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x8) : "memory");
#else
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(11L /* munmap */), "D"(0x1000UL), "S"(0x7ffffffff000UL - 0x1000UL)
			 : "rcx", "r11", "memory");
#endif
	/* not reached: the code page above is gone */
	for (;;)
		;
}
