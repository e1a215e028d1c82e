// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/cores.c: how many cores' worth of CPU two threads get here. Times
 * a CPU-bound loop on one thread, then the same loop on two at once, and
 * prints the two threads' throughput against one's (the fastest of 5
 * tries of each):
 * 2.0 on two real cores, about 1.0 where two vCPUs share one core (a busy
 * host, hyperthreads of one core, a machine whose other CPU is taken).
 * What read-ahead (a second thread inflating pages) can gain depends on
 * it; bench/run.sh records it at the start and the end of a run.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *spin(void *arg)
{
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < 800000000ul; i++)
		x += i;
	return arg;
}

int main(void)
{
	/* The fastest of 5 tries of each: a try that was preempted says
	 * nothing about the cores. */
	double one = 1e9, two = 1e9;
	for (int k = 0; k < 5; k++) {
		double t0 = now();
		spin(NULL);
		double t = now() - t0;
		one = t < one ? t : one;
		pthread_t th[2];
		t0 = now();
		for (int i = 0; i < 2; i++)
			if (pthread_create(&th[i], NULL, spin, NULL))
				return 1;
		for (int i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		t = now() - t0;
		two = t < two ? t : two;
	}
	printf("%.2f\n", 2 * one / two);
	return 0;
}
