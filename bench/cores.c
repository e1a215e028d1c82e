// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/cores.c: how many cores' worth of CPU two threads get here. Times
 * a CPU-bound loop on one thread, then the same loop on two at once, and
 * prints the two threads' throughput against one's (best of 5 tries):
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
	for (unsigned long i = 0; i < 200000000ul; i++)
		x += i;
	return arg;
}

int main(void)
{
	double best = 0;
	for (int k = 0; k < 5; k++) {
		double t0 = now();
		spin(NULL);
		double one = now() - t0;
		pthread_t t[2];
		t0 = now();
		for (int i = 0; i < 2; i++)
			if (pthread_create(&t[i], NULL, spin, NULL))
				return 1;
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		double two = now() - t0;
		if (2 * one / two > best)
			best = 2 * one / two;
	}
	printf("%.2f\n", best);
	return 0;
}
