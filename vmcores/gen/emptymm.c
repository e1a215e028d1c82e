// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * emptymm: a static -nostdlib program that unmaps its whole address space.
 * The syscall returns into unmapped text, the instruction fetch faults and
 * the kernel reaches __bad_area_nosemaphore() with mm->map_count == 0 and an
 * empty maple tree while the task is alive. No glibc, hence no rseq area.
 */
void _start(void)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(11L /* munmap */), "D"(0x1000UL), "S"(0x7ffffffff000UL - 0x1000UL)
			 : "rcx", "r11", "memory");
	/* not reached: the code page above is gone */
	for (;;)
		;
}
