// SPDX-License-Identifier: GPL-2.0-or-later
/* threads N: a process with N extra threads that all sleep forever. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	int i, n = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t t;

	for (i = 0; i < n; i++)
		pthread_create(&t, NULL, sleeper, NULL);
	for (;;)
		pause();
}
