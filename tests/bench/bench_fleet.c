/*
 * bench_fleet: the fleet case of issue 5.  160 model windows of 30
 * features (25 numeric, 5 categorical, one of them the fairness segment)
 * and a numeric prediction, each filled to 50,000 rows; then poll cycles
 * bringing 1,000 new rows and 300 late labels per model, after which every
 * model's status is computed (PSI policy: binned statistics only).
 *
 * Printed: CPU milliseconds per poll cycle (target < 100), split into
 * rows, labels (the batch window_labels) and statuses, and the resident
 * memory of the windows from VmRSS before and after (target < 512 MB).
 * Side by side in the same run: as many other labels joined one at a time
 * with window_label, and the same statuses recomputed from scratch over
 * raw 50,000-row columns (what a window without incremental counts would
 * cost per poll), measured on one model and scaled to the fleet, with the
 * ratios.
 *
 * Usage: bench_fleet [models [rows [polls]]] (defaults 160 50000 5).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stats/status.h"
#include "util/xmalloc.h"

#define NF	30
#define NNUM	25
#define SEGMENT	25
#define BATCH	1000
#define POOL	8		/* distinct batches of values, reused */
#define NREF	5000
#define LABELS	300

static const char *cats[] = {
	"north", "south", "east", "west", "c4", "c5", "c6", "c7", "c8", "c9",
	"c10", "c11", "c12", "c13", "c14", "c15",
};

struct bench {
	char			*names[NF];
	enum stats_kind		 kinds[NF];
	struct window_value	*vals;		/* [POOL * BATCH * NF] */
	double			*pred;		/* [POOL * BATCH] */
	struct window_row	 rows[BATCH];
	char			 ids[BATCH][24];
	uint64_t		 rng;
};

static uint64_t
rng(struct bench *b)
{
	b->rng ^= b->rng << 13;
	b->rng ^= b->rng >> 7;
	b->rng ^= b->rng << 17;
	return b->rng;
}

static double
unif(struct bench *b)
{
	return (double)(rng(b) >> 11) / 9007199254740992.0;
}

static double
cpu_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long
rss_kb(void)
{
	char	 line[256];
	long	 kb = -1;
	FILE	*f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* One cell of feature j; drift shifts the numeric ones. */
static void
make_value(struct bench *b, size_t j, double drift, struct window_value *v)
{
	double	u = unif(b);

	v->x = NAN;
	v->s = NULL;
	if (u < 0.01)
		return;			/* missing */
	if (j < NNUM)
		v->x = (double)j * 10 + 100 * (unif(b) - 0.5) + drift *
		    (double)(j % 3);
	else
		v->s = cats[rng(b) % (j == SEGMENT ? 4 : 16)];
}

static void
make_pool(struct bench *b)
{
	size_t	i, j;

	b->vals = xcalloc(POOL * BATCH * NF, sizeof *b->vals);
	b->pred = xcalloc(POOL * BATCH, sizeof *b->pred);
	for (i = 0; i < POOL * BATCH; i++) {
		for (j = 0; j < NF; j++)
			make_value(b, j, i >= BATCH ? 5 : 0, &b->vals[i * NF + j]);
		b->pred[i] = unif(b);
	}
}

/* Point b->rows at pool batch k, with ids model-seq. */
static void
make_batch(struct bench *b, size_t model, size_t k, size_t seq)
{
	size_t	i, r;

	for (i = 0; i < BATCH; i++) {
		r = (k % POOL) * BATCH + i;
		snprintf(b->ids[i], sizeof b->ids[i], "m%zu-%zu", model,
		    seq + i);
		b->rows[i].id = b->ids[i];
		b->rows[i].ts_ms = (int64_t)(seq + i) * 10;
		b->rows[i].values = &b->vals[r * NF];
		b->rows[i].prediction.x = b->pred[r];
		b->rows[i].prediction.s = NULL;
		b->rows[i].label = (i % 4 == 0) ? (double)(rng(b) & 1) : NAN;
	}
}

static struct window *
make_window(struct bench *b, size_t rows)
{
	struct window_config	 c = {
		.nfeatures = NF, .names = (const char *const *)b->names,
		.kinds = b->kinds, .prediction_kind = STATS_NUMERIC,
		.classification = 1, .threshold = 0.5, .segment = SEGMENT,
		.max_rows = rows,
	};
	struct window_row	*ref = xcalloc(NREF, sizeof *ref);
	struct window		*w;
	size_t			 i;
	char			*cause = NULL;

	/* The reference: the pool's first batch (undrifted), five times. */
	for (i = 0; i < NREF; i++) {
		ref[i].values = &b->vals[(i % BATCH) * NF];
		ref[i].prediction.x = b->pred[i % BATCH];
		ref[i].label = NAN;
	}
	w = window_new(&c, ref, NREF, &cause);
	if (w == NULL) {
		fprintf(stderr, "bench_fleet: %s\n", cause);
		exit(1);
	}
	free(ref);
	return w;
}

/* CPU milliseconds per part of a poll cycle, summed over the fleet. */
struct timing {
	double	rows;		/* window_append */
	double	labels;		/* window_labels and window_evict_age */
	double	status;		/* status_compute */
	double	labels_one;	/* as many labels through window_label */
};

/* LABELS ids of rows among the model's last 20,000. */
static void
make_label_ids(struct bench *b, size_t model, size_t seq,
    char (*id)[24], const char **ids)
{
	size_t	i;

	for (i = 0; i < LABELS; i++) {
		snprintf(id[i], sizeof id[i], "m%zu-%zu", model,
		    seq - 1 - (size_t)(rng(b) % 20000));
		ids[i] = id[i];
	}
}

/*
 * One model's poll: new rows, late labels, age eviction, status.  Side by
 * side, as many other late labels one at a time (the figures do not count
 * in the cycle).
 */
static void
poll_model(struct bench *b, struct window *w, size_t model, size_t seq,
    const struct stats_thresholds *t, struct timing *tm)
{
	struct status	 s;
	char		 id[LABELS][24], id1[LABELS][24];
	const char	*ids[LABELS], *ids1[LABELS];
	double		 y[LABELS], t0, t1;
	size_t		 i;

	make_batch(b, model, seq / BATCH, seq);
	make_label_ids(b, model, seq, id, ids);
	make_label_ids(b, model, seq, id1, ids1);
	for (i = 0; i < LABELS; i++)
		y[i] = (double)(i & 1);
	t0 = cpu_ms();
	window_append(w, b->rows, BATCH, NULL, NULL);
	t1 = cpu_ms();
	window_labels(w, ids, y, LABELS, NULL, NULL);
	window_evict_age(w, (int64_t)seq * 10);
	tm->rows += t1 - t0;
	tm->labels += cpu_ms() - t1;
	t0 = cpu_ms();
	status_compute(w, t, 0.9, NULL, &s, NULL);
	status_free(&s);
	tm->status += cpu_ms() - t0;
	t0 = cpu_ms();
	for (i = 0; i < LABELS; i++)
		window_label(w, ids1[i], 1 - y[i], NULL);
	tm->labels_one += cpu_ms() - t0;
}

/* Statuses from scratch over raw columns of one window's size. */
static double
scratch_ms(struct bench *b, size_t rows)
{
	double			*num = xcalloc(rows, sizeof *num);
	double			*refx = xcalloc(NREF, sizeof *refx);
	const char		**cat = xcalloc(rows, sizeof *cat);
	const char		**refs = xcalloc(NREF, sizeof *refs);
	struct stats_feature	 f;
	double			 t0, ms = 0;
	size_t			 i, j, r;

	for (j = 0; j <= NF; j++) {
		for (i = 0; i < rows; i++) {
			r = (i % (POOL * BATCH)) * NF + (j < NF ? j : 0);
			num[i] = j == NF ? b->pred[i % (POOL * BATCH)] :
			    b->vals[r].x;
			cat[i] = b->vals[r].s;
		}
		for (i = 0; i < NREF; i++) {
			refx[i] = j == NF ? b->pred[i % BATCH] :
			    b->vals[(i % BATCH) * NF + j].x;
			refs[i] = b->vals[(i % BATCH) * NF + (j < NF ? j : 0)].s;
		}
		t0 = cpu_ms();
		if (j >= NNUM && j < NF)
			stats_categorical(refs, NREF, cat, rows, STATS_BINNED,
			    &f);
		else
			stats_numeric(refx, NREF, num, rows, STATS_BINNED, &f);
		ms += cpu_ms() - t0;
	}
	free(num);
	free(refx);
	free(cat);
	free(refs);
	return ms;
}

int
main(int argc, char **argv)
{
	struct stats_thresholds	 t = stats_thresholds_default();
	struct bench		 b = { .rng = 0x9e3779b97f4a7c15ull };
	size_t			 models = argc > 1 ? strtoul(argv[1], NULL, 10) : 160;
	size_t			 rows = argc > 2 ? strtoul(argv[2], NULL, 10) : 50000;
	size_t			 polls = argc > 3 ? strtoul(argv[3], NULL, 10) : 5;
	struct window		**w;
	struct timing		 tm = { 0 };
	double			 t_poll, t_fill, scratch;
	long			 rss0, rss1;
	size_t			 m, k, seq, p, fill = rows / BATCH;

	for (k = 0; k < NF; k++) {
		b.names[k] = xasprintf("f%02zu", k);
		b.kinds[k] = k < NNUM ? STATS_NUMERIC : STATS_CATEGORICAL;
	}
	make_pool(&b);
	w = xcalloc(models, sizeof *w);
	rss0 = rss_kb();
	t_fill = cpu_ms();
	for (m = 0; m < models; m++) {
		w[m] = make_window(&b, rows);
		for (k = 0; k < fill; k++) {
			make_batch(&b, m, k, k * BATCH);
			window_append(w[m], b.rows, BATCH, NULL, NULL);
		}
	}
	t_fill = cpu_ms() - t_fill;
	rss1 = rss_kb();
	for (p = 0; p < polls; p++) {
		seq = (fill + p) * BATCH;
		for (m = 0; m < models; m++)
			poll_model(&b, w[m], m, seq, &t, &tm);
	}
	t_poll = (tm.rows + tm.labels + tm.status) / (double)polls;
	scratch = scratch_ms(&b, rows) * (double)models;

	printf("fleet: %zu models x %d features, %zu-row windows, %d new rows "
	    "and %d labels per model per poll, %zu polls\n", models, NF, rows,
	    BATCH, LABELS, polls);
	printf("  fill (%zu rows per model)        %10.1f ms CPU\n", rows,
	    t_fill);
	printf("  poll cycle, incremental          %10.1f ms CPU "
	    "(target < 100)\n", t_poll);
	printf("    of it: rows %.1f, labels (window_labels) and age eviction "
	    "%.1f, statuses %.1f\n", tm.rows / (double)polls,
	    tm.labels / (double)polls, tm.status / (double)polls);
	printf("  labels one at a time (window_label) %7.1f ms CPU, %.1fx the "
	    "batch\n", tm.labels_one / (double)polls, tm.labels_one /
	    tm.labels);
	printf("  statuses from scratch (raw rows) %10.1f ms CPU\n", scratch);
	printf("  ratio scratch / incremental      %10.1fx\n", scratch / t_poll);
	printf("  VmRSS before windows             %10.1f MB\n", rss0 / 1024.0);
	printf("  VmRSS after filling              %10.1f MB\n", rss1 / 1024.0);
	printf("  windows resident                 %10.1f MB (target < 512), "
	    "%.2f MB per model\n", (rss1 - rss0) / 1024.0,
	    (rss1 - rss0) / 1024.0 / (double)models);
	for (m = 0; m < models; m++)
		window_free(w[m]);
	free(w);
	for (k = 0; k < NF; k++)
		free(b.names[k]);
	free(b.vals);
	free(b.pred);
	return 0;
}
