// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Read-ahead of kdump-compressed pages (readahead.h). On the bench dump,
 * inflating the ~56,000 pages the walk reads is about 70 % of the CLI's
 * time (bench/ANALYSIS.md); a second core inflating the pages the walk
 * names before it reads them hides much of it.
 *
 * One mutex guards a table of RA_SLOTS pages. Only the main thread puts a
 * page in (queue) or takes one out (take); the worker moves a queued page
 * to busy, inflates it outside the lock into the slot's own buffer, and
 * marks it ready (or failed). The worker takes the oldest queued page:
 * the hints come in the order the walk will read them. The main thread
 * never waits longer than it would take to inflate the page itself: a
 * queued page it needs it takes back and inflates; while the worker is
 * on the one it needs, it inflates the next queued one (ra_help()), then
 * waits a few microseconds at most (ra_wait()). Pages hinted but never
 * read are overwritten, oldest first, when the table is full; a hint
 * that finds only queued and busy pages is dropped. Whether it pays is
 * timed as it runs (ra_tick()): of every RA_CYCLE windows of reads, one
 * runs with hints, one without, and the rest the faster way. Memory:
 * RA_SLOTS x 4 KiB, whatever the dump.
 *
 * On a machine whose second CPU is busy (the 2-vCPU VM of session 9,
 * shared with other jobs) the worker seldom runs and read-ahead cannot
 * help; --threads=1 or MMLIFE_READAHEAD=0 turn it off.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "readahead.h"

enum {
	RA_PAGE = 4096,
	/* 32 pages: 128 KiB, a few leaves' VMAs and nodes ahead, more
	 * than the worker inflates while the walk reads one leaf. */
	RA_SLOTS = 32,
	/* Pauses (some 10-40 ns each) the worker waits for a hint before
	 * it sleeps (ra_spin()), and the main thread for a busy page before
	 * it inflates the page itself (ra_wait()): about the time of one
	 * inflation (5 us) or two. A thread that is not scheduled (a loaded
	 * machine) is then not waited for long, and an idle worker costs
	 * little CPU. */
	RA_SPINS = 256,
	/* ra_tick(): windows of RA_WINDOW page reads (some 10-20 ms), in
	 * cycles of RA_CYCLE: the first timed with hints, the second without,
	 * the others the faster way. Two CPUs need not be two cores' worth:
	 * hyperthreads of one core, a VM whose other vCPU is busy, a loaded
	 * machine; there the worker's pages cost the main thread as much as
	 * they save, or more (bench/ANALYSIS.md). */
	RA_WINDOW = 2048,
	RA_CYCLE = 8,
};

enum ra_state {
	RA_FREE,
	RA_QUEUED,
	RA_BUSY,
	RA_READY,
	RA_FAILED,
	/* Busy, but the main thread stopped waiting for it and inflated the
	 * page itself: the worker frees it when done. */
	RA_ABANDONED,
};

struct ra_slot {
	uint64_t page;            /* virtual address; any when free */
	struct mml_kpages_loc loc;
	/* Written under the lock (__atomic: ra_wait() reads it without). */
	enum ra_state state;
	uint64_t seq;             /* when queued: oldest first */
	unsigned char data[RA_PAGE];
};

struct cli_readahead {
	const struct mml_kpages *kp;
	struct mml_kpages_dec *dec;    /* the worker's */
	struct mml_kpages_dec *main_dec;  /* the main thread's (ra_help()) */
	cli_readahead_decode_fn decode;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work;           /* the worker's: a page queued, stop */
	bool stop;
	bool worker_idle;              /* waiting on work */
	/* Tests (MMLIFE_READAHEAD=wait): every queued page is the worker's,
	 * the main thread waits for it however long; hints are never off. */
	bool patient;
	/* Pages queued: written under the lock, read by the worker without
	 * it while it spins (ra_spin()). */
	unsigned int pending;
	uint64_t seq;
	/* The main thread's (no lock), for ra_tick(): reads in this window,
	 * where it started, which window of the cycle it is, the first two
	 * windows' times; hints off. */
	unsigned int window_reads;
	double window_start;
	unsigned int window;
	double t_on, t_off;
	bool off;
	/* Slots holding a page the main thread queued and has not taken
	 * (nor abandoned): none, and a read need not look. */
	unsigned int held;
	struct cli_readahead_stats stats;
	struct ra_slot slot[RA_SLOTS];
};

static double ra_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The slot holding @page, or NULL (abandoned slots hold nothing the
 * main thread may use). Under the lock. */
static struct ra_slot *ra_find(struct cli_readahead *ra, uint64_t page)
{
	for (unsigned int i = 0; i < RA_SLOTS; i++) {
		struct ra_slot *s = &ra->slot[i];
		if (s->state != RA_FREE && s->state != RA_ABANDONED &&
		    s->page == page)
			return s;
	}
	return NULL;
}

/* The oldest slot in @state, or NULL. Under the lock. */
static struct ra_slot *ra_oldest(struct cli_readahead *ra,
				 enum ra_state state)
{
	struct ra_slot *best = NULL;
	for (unsigned int i = 0; i < RA_SLOTS; i++) {
		struct ra_slot *s = &ra->slot[i];
		if (s->state == state && (!best || s->seq < best->seq))
			best = s;
	}
	return best;
}

/* A slot for a new page: a free one, else the oldest page inflated but
 * never taken. NULL when every slot is queued or busy. Under the lock. */
static struct ra_slot *ra_room(struct cli_readahead *ra)
{
	struct ra_slot *s = ra_oldest(ra, RA_FREE);
	if (s)
		return s;
	s = ra_oldest(ra, RA_READY);
	return s ? s : ra_oldest(ra, RA_FAILED);
}

/* A spin-wait's pause: the sibling hyperthread runs meanwhile. */
static inline void ra_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static void ra_pending_add(struct cli_readahead *ra, int n)
{
	__atomic_store_n(&ra->pending, ra->pending + n, __ATOMIC_RELEASE);
}

/* Under the lock. */
static void ra_set(struct ra_slot *s, enum ra_state state)
{
	__atomic_store_n(&s->state, state, __ATOMIC_RELEASE);
}

/*
 * Wait a little for a page to be queued before sleeping: the walk queues
 * one or two pages a leaf and reads them soon after, sooner than a
 * sleeping thread wakes (and the wake-up is a system call on the main
 * thread). True if one came. Called without the lock.
 */
static bool ra_spin(struct cli_readahead *ra)
{
	for (unsigned int i = 0; i < RA_SPINS; i++) {
		if (__atomic_load_n(&ra->pending, __ATOMIC_ACQUIRE))
			return true;
		ra_pause();
	}
	return false;
}

static void *ra_worker(void *arg)
{
	struct cli_readahead *ra = arg;
	pthread_mutex_lock(&ra->lock);
	while (!ra->stop) {
		struct ra_slot *s = ra_oldest(ra, RA_QUEUED);
		if (!s) {
			pthread_mutex_unlock(&ra->lock);
			bool more = ra_spin(ra);
			pthread_mutex_lock(&ra->lock);
			if (more || ra->pending || ra->stop)
				continue;
			ra->worker_idle = true;
			pthread_cond_wait(&ra->work, &ra->lock);
			ra->worker_idle = false;
			continue;
		}
		ra_set(s, RA_BUSY);
		ra_pending_add(ra, -1);
		struct mml_kpages_loc loc = s->loc;
		pthread_mutex_unlock(&ra->lock);
		/* The slot is the worker's while busy: no lock for its data. */
		bool ok = ra->decode(ra->kp, ra->dec, &loc, s->data);
		pthread_mutex_lock(&ra->lock);
		ra->stats.inflated++;
		if (s->state == RA_ABANDONED)
			ra_set(s, RA_FREE);
		else
			ra_set(s, ok ? RA_READY : RA_FAILED);
	}
	pthread_mutex_unlock(&ra->lock);
	return NULL;
}

/* Start the worker with every signal blocked but the faults its
 * decompression may raise (dump.c catches those): SIGINT, SIGTERM and
 * the rest go to the main thread, as without it. */
static int ra_start(struct cli_readahead *ra)
{
	sigset_t all, old;
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&ra->thread, NULL, ra_worker, ra);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

struct mml_error *cli_readahead_create(const struct mml_kpages *kp,
				       cli_readahead_decode_fn decode,
				       bool patient,
				       struct cli_readahead **ret)
{
	struct cli_readahead *ra = calloc(1, sizeof(*ra));
	if (!ra)
		return &mml_enomem;
	struct mml_error *err = mml_kpages_dec_create(&ra->dec);
	if (!err)
		err = mml_kpages_dec_create(&ra->main_dec);
	if (err) {
		mml_kpages_dec_destroy(ra->dec);
		free(ra);
		return err;
	}
	ra->kp = kp;
	ra->decode = decode;
	ra->patient = patient;
	ra->window_start = ra_now();   /* the first window: with hints */
	pthread_mutex_init(&ra->lock, NULL);
	pthread_cond_init(&ra->work, NULL);
	int rc = ra_start(ra);
	if (rc) {
		pthread_cond_destroy(&ra->work);
		pthread_mutex_destroy(&ra->lock);
		mml_kpages_dec_destroy(ra->dec);
		mml_kpages_dec_destroy(ra->main_dec);
		free(ra);
		return mml_error_create(MML_ERROR_INPUT,
					"cannot start the read-ahead thread: "
					"%s", strerror(rc));
	}
	*ret = ra;
	return NULL;
}

void cli_readahead_destroy(struct cli_readahead *ra)
{
	if (!ra)
		return;
	pthread_mutex_lock(&ra->lock);
	ra->stop = true;
	pthread_cond_signal(&ra->work);
	pthread_mutex_unlock(&ra->lock);
	pthread_join(ra->thread, NULL);
	pthread_cond_destroy(&ra->work);
	pthread_mutex_destroy(&ra->lock);
	mml_kpages_dec_destroy(ra->dec);
	mml_kpages_dec_destroy(ra->main_dec);
	free(ra);
}

/* Count a page read; at the end of a window, time it, and set whether
 * the next one has hints (RA_WINDOW). Main thread. */
static void ra_tick(struct cli_readahead *ra)
{
	if (ra->patient || ++ra->window_reads < RA_WINDOW)
		return;
	ra->window_reads = 0;
	double now = ra_now(), t = now - ra->window_start;
	ra->window_start = now;
	if (ra->window == 0)
		ra->t_on = t;
	else if (ra->window == 1)
		ra->t_off = t;
	ra->window = (ra->window + 1) % RA_CYCLE;
	if (ra->window == 1) {
		ra->off = true;
	} else if (ra->window == 2) {
		ra->off = ra->t_off < ra->t_on;
		ra->stats.cycles++;
		ra->stats.cycles_off += ra->off;
	} else if (ra->window == 0) {
		ra->off = false;
	}
}

bool cli_readahead_skip(struct cli_readahead *ra, uint64_t page)
{
	if (ra->off)
		return true;
	pthread_mutex_lock(&ra->lock);
	bool skip = ra_find(ra, page) || !ra_room(ra);
	pthread_mutex_unlock(&ra->lock);
	return skip;
}

void cli_readahead_queue(struct cli_readahead *ra, uint64_t page,
			 const struct mml_kpages_loc *loc)
{
	pthread_mutex_lock(&ra->lock);
	struct ra_slot *s = ra_find(ra, page) ? NULL : ra_room(ra);
	if (s) {
		if (s->state == RA_FREE)
			ra->held++;
		s->page = page;
		s->loc = *loc;
		ra_set(s, RA_QUEUED);
		s->seq = ra->seq++;
		ra->stats.queued++;
		ra_pending_add(ra, 1);
		if (ra->worker_idle)
			pthread_cond_signal(&ra->work);
	} else {
		ra->stats.dropped++;
	}
	pthread_mutex_unlock(&ra->lock);
}

/* Wait a little, without the lock, for the worker to finish the busy
 * page in @s. */
static void ra_wait(struct ra_slot *s)
{
	for (unsigned int i = 0; i < RA_SPINS; i++) {
		if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != RA_BUSY)
			return;
		ra_pause();
	}
}

/*
 * While the worker inflates the page the main thread needs, the main
 * thread inflates the next queued one instead of waiting: when hints
 * run only a few pages ahead the worker alone is the slower of the two,
 * and the pages it has yet to start are the ones the walk reads next.
 * Marked busy meanwhile (the worker leaves it alone). The caller's fault
 * guard covers the decompression (cli_dump_read()). Under the lock, which
 * it drops while it inflates; false when nothing is queued.
 */
static bool ra_help(struct cli_readahead *ra)
{
	struct ra_slot *h = ra_oldest(ra, RA_QUEUED);
	if (!h)
		return false;
	ra_set(h, RA_BUSY);
	ra_pending_add(ra, -1);
	struct mml_kpages_loc loc = h->loc;
	pthread_mutex_unlock(&ra->lock);
	bool ok = mml_kpages_decode(ra->kp, ra->main_dec, &loc, h->data) ==
		  MML_KPAGES_OK;
	pthread_mutex_lock(&ra->lock);
	ra_set(h, ok ? RA_READY : RA_FAILED);
	ra->stats.helped++;
	return true;
}

bool cli_readahead_take(struct cli_readahead *ra, uint64_t page, void *buf)
{
	ra_tick(ra);
	if (!ra->held) {
		ra->stats.missed++;   /* the main thread's alone */
		return false;
	}
	pthread_mutex_lock(&ra->lock);
	struct ra_slot *s = ra_find(ra, page);
	if (!s) {
		ra->stats.missed++;
		pthread_mutex_unlock(&ra->lock);
		return false;
	}
	/* Only the main thread frees a slot: it stays this page's while
	 * the lock is dropped below. */
	while (ra->patient &&
	       (s->state == RA_QUEUED || s->state == RA_BUSY)) {
		pthread_mutex_unlock(&ra->lock);
		sched_yield();
		pthread_mutex_lock(&ra->lock);
	}
	while (s->state == RA_BUSY && ra_help(ra))
		;
	if (s->state == RA_BUSY) {
		/* Nearly done, most likely. */
		ra->stats.waited++;
		pthread_mutex_unlock(&ra->lock);
		ra_wait(s);
		pthread_mutex_lock(&ra->lock);
	}
	enum ra_state st = s->state;
	struct mml_kpages_loc loc = s->loc;
	if (st == RA_BUSY) {
		/* Not scheduled, or slow: inflated here after all. */
		ra_set(s, RA_ABANDONED);
		ra->stats.abandoned++;
		ra->held--;
	} else {
		if (st == RA_READY) {
			memcpy(buf, s->data, RA_PAGE);
			ra->stats.taken++;
		} else if (st == RA_QUEUED) {
			ra->stats.reclaimed++;
			ra_pending_add(ra, -1);
		}
		ra_set(s, RA_FREE);
		ra->held--;
	}
	pthread_mutex_unlock(&ra->lock);
	if (st == RA_READY || st == RA_FAILED)
		return st == RA_READY;
	/* Queued or busy: inflated here, from the page's descriptor as
	 * looked up when it was queued (no second look-up). The caller's
	 * fault guard covers it (cli_dump_read()). */
	return mml_kpages_decode(ra->kp, ra->main_dec, &loc, buf) ==
	       MML_KPAGES_OK;
}

void cli_readahead_stats(struct cli_readahead *ra,
			 struct cli_readahead_stats *ret)
{
	pthread_mutex_lock(&ra->lock);
	*ret = ra->stats;
	pthread_mutex_unlock(&ra->lock);
}
