/*
 * Conformance of src/stats with NumPy 1.24 / SciPy 1.10 / scikit-learn 1.2:
 * reads every tests/conformance/data/NAME.case written by
 * tests/conformance/gen.py (format described there) and checks each
 * expected value to the spec's tolerance (relative 1e-9, absolute 1e-12
 * near zero; "null" must come back NaN, "inf" +INFINITY).  One PASS/FAIL
 * line per case, plus the kolmogorov and gammaincc grids.  The data
 * directory is $MD_ROOT/tests/conformance/data, else the relative path.
 */
#include <dirent.h>
#include <stdint.h>

#include "testhelp.h"
#include "stats/stats.h"
#include "util/xmalloc.h"

#define REL	1e-9
#define ABS	1e-12

struct entry {
	char	 *name;
	char	  type;		/* 's' scalar, 'a' array, 'S' strings, 'e' expect */
	size_t	  n;
	double	 *v;		/* scalar/expect: v[0]; array: v[0..n-1] */
	char	**s;		/* strings, NULL = missing */
	char	 *raw;		/* expect text: "null", "inf" or a number */
};

struct tcase {
	char		 name[256];
	char		 kind[64];
	struct entry	*e;
	size_t		 ne;
	int		 checked;
};

static struct tcase *cur_case;

static struct entry *
find(struct tcase *c, char type, const char *name)
{
	size_t	i;

	for (i = 0; i < c->ne; i++)
		if (c->e[i].type == type && strcmp(c->e[i].name, name) == 0)
			return &c->e[i];
	return NULL;
}

static void
chomp(char *s)
{
	s[strcspn(s, "\n")] = '\0';
}

static void
read_values(FILE *f, struct entry *e)
{
	char	line[4096];
	size_t	i;

	if (e->type == 'a')
		e->v = xcalloc(e->n ? e->n : 1, sizeof *e->v);
	else
		e->s = xcalloc(e->n ? e->n : 1, sizeof *e->s);
	for (i = 0; i < e->n && fgets(line, sizeof line, f) != NULL; i++) {
		chomp(line);
		if (e->type == 'a')
			e->v[i] = strtod(line, NULL);
		else
			e->s[i] = strcmp(line, "\\N") == 0 ? NULL : xstrdup(line);
	}
}

static int
load(const char *path, struct tcase *c)
{
	FILE		*f = fopen(path, "r");
	char		 line[4096], key[32], name[128], val[128];
	struct entry	*e;

	memset(c, 0, sizeof *c);
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		chomp(line);
		if (sscanf(line, "case %255s", c->name) == 1 ||
		    sscanf(line, "kind %63s", c->kind) == 1)
			continue;
		if (sscanf(line, "%31s %127s %127s", key, name, val) != 3)
			continue;
		c->e = xreallocarray(c->e, c->ne + 1, sizeof *c->e);
		e = &c->e[c->ne++];
		memset(e, 0, sizeof *e);
		e->name = xstrdup(name);
		e->type = strcmp(key, "array") == 0 ? 'a' :
		    strcmp(key, "strings") == 0 ? 'S' :
		    strcmp(key, "scalar") == 0 ? 's' : 'e';
		if (e->type == 'a' || e->type == 'S') {
			e->n = strtoul(val, NULL, 10);
			read_values(f, e);
		} else {
			e->v = xmalloc(sizeof *e->v);
			e->v[0] = strtod(val, NULL);
			e->raw = xstrdup(val);
		}
	}
	fclose(f);
	return 0;
}

static void
unload(struct tcase *c)
{
	size_t	i, j;

	for (i = 0; i < c->ne; i++) {
		for (j = 0; c->e[i].s != NULL && j < c->e[i].n; j++)
			free(c->e[i].s[j]);
		free(c->e[i].s);
		free(c->e[i].v);
		free(c->e[i].name);
		free(c->e[i].raw);
	}
	free(c->e);
}

static int
near(double got, const char *raw, double want)
{
	if (strcmp(raw, "null") == 0)
		return isnan(got);
	if (strcmp(raw, "inf") == 0)
		return isinf(got) && got > 0;
	if (isnan(got) || isinf(got))
		return 0;
	return got == want || fabs(got - want) <= ABS ||
	    fabs(got - want) <= REL * fabs(want);
}

/* Check statistic `name` of the current case, when the case expects it. */
static void
expect(const char *name, double got)
{
	struct entry	*e = find(cur_case, 'e', name);
	char		 w[512];

	if (e == NULL)
		return;
	cur_case->checked++;
	if (!near(got, e->raw, e->v[0])) {
		snprintf(w, sizeof w, "%s: %s = %.17g, reference %s", cur_case->name,
		    name, got, e->raw);
		th_fail(__FILE__, __LINE__, w);
	}
}

static double
scalar(const char *name)
{
	struct entry	*e = find(cur_case, 's', name);

	return e ? e->v[0] : NAN;
}

static const double *
array(const char *name, size_t *n)
{
	struct entry	*e = find(cur_case, 'a', name);

	*n = e ? e->n : 0;
	return e ? e->v : NULL;
}

static void
expect_feature(const struct stats_feature *f)
{
	expect("rows_ref", (double)f->rows_ref);
	expect("rows_cur", (double)f->rows_cur);
	expect("missing_rate_ref", f->missing_rate_ref);
	expect("missing_rate_cur", f->missing_rate_cur);
	expect("psi", f->psi);
	expect("js", f->js);
	expect("ks_statistic", f->ks_statistic);
	expect("ks_pvalue", f->ks_pvalue);
	expect("wasserstein", f->wasserstein);
	expect("wasserstein_normed", f->wasserstein_normed);
	expect("chi2_statistic", f->chi2_statistic);
	expect("chi2_pvalue", f->chi2_pvalue);
}

static void
check_edges(const double *ref, size_t n)
{
	double	*a = xmalloc((n ? n : 1) * sizeof *a), edges[BINS_MAX_EDGES];
	size_t	 na = stats_drop_missing(ref, n, a), ne, i;
	char	 name[32];

	sort_doubles(a, na);
	ne = bins_edges(a, na, edges);
	expect("nedges", (double)ne);
	for (i = 0; i < ne; i++) {
		snprintf(name, sizeof name, "edge%zu", i);
		expect(name, edges[i]);
	}
	free(a);
}

static void
run_numeric(const double *ref, size_t n, const double *cur, size_t m)
{
	struct stats_feature	f;

	stats_numeric(ref, n, cur, m, STATS_ALL, &f);
	expect_feature(&f);
	check_edges(ref, n);
	/* The binned-only path finds edges without sorting: same numbers. */
	stats_numeric(ref, n, cur, m, STATS_BINNED, &f);
	expect("psi", f.psi);
	expect("js", f.js);
	expect("missing_rate_ref", f.missing_rate_ref);
	expect("missing_rate_cur", f.missing_rate_cur);
}

static void
case_numeric(void)
{
	size_t		 n, m;
	const double	*ref = array("ref", &n), *cur = array("cur", &m);

	run_numeric(ref, n, cur, m);
}

static void
case_categorical(void)
{
	struct entry		*r = find(cur_case, 'S', "ref");
	struct entry		*c = find(cur_case, 'S', "cur");
	struct stats_feature	 f;
	struct cat_dict		*d = cat_dict_new();
	size_t			 i;

	stats_categorical((const char *const *)r->s, r->n,
	    (const char *const *)c->s, c->n, STATS_ALL, &f);
	expect_feature(&f);
	for (i = 0; i < r->n; i++)
		if (r->s[i] != NULL)
			cat_dict_intern(d, r->s[i]);
	for (i = 0; i < c->n; i++)
		if (c->s[i] != NULL)
			cat_dict_intern(d, c->s[i]);
	expect("categories", (double)cat_dict_size(d));
	cat_dict_free(d);
}

static void
run_classification(const double *p, const double *y, size_t n, double t)
{
	struct perf_classification	 pc;
	char				*cause = NULL;

	if (perf_classification(p, y, n, t, &pc, &cause) != 0) {
		th_fail(__FILE__, __LINE__, cause);
		free(cause);
		return;
	}
	expect("labelled", (double)pc.labelled);
	expect("positives", (double)pc.positives);
	expect("estimated_accuracy", pc.estimated_accuracy);
	expect("accuracy", pc.accuracy);
	expect("precision", pc.precision);
	expect("recall", pc.recall);
	expect("f1", pc.f1);
	expect("roc_auc", pc.roc_auc);
	expect("log_loss", pc.log_loss);
	expect("brier", pc.brier);
}

static void
case_classification(void)
{
	size_t		 n, m;
	const double	*p = array("p", &n), *y = array("y", &m);

	CHECK_INT(n, m);
	run_classification(p, y, n, scalar("threshold"));
}

static void
case_regression(void)
{
	size_t			 n, m;
	const double		*p = array("p", &n), *y = array("y", &m);
	struct perf_regression	 r;

	perf_regression(p, y, n, &r);
	expect("rows", (double)r.rows);
	expect("mae", r.mae);
	expect("rmse", r.rmse);
	expect("mape", r.mape);
}

static void
case_fairness(void)
{
	size_t			 n, i;
	const double		*sv = array("seg", &n), *p = array("p", &n);
	const double		*y = array("y", &n);
	int			*seg = xmalloc((n ? n : 1) * sizeof *seg);
	struct stats_thresholds	 t = stats_thresholds_default();
	struct fairness		 f;
	char			 name[64];

	for (i = 0; i < n; i++)
		seg[i] = (int)sv[i];
	fairness_compute(seg, (size_t)scalar("nsegments"), p, y, n,
	    scalar("threshold"), &t, &f);
	for (i = 0; i < f.nsegments; i++) {
		snprintf(name, sizeof name, "rows%zu", i);
		expect(name, (double)f.segments[i].rows);
		snprintf(name, sizeof name, "selection_rate%zu", i);
		expect(name, f.segments[i].selection_rate);
		snprintf(name, sizeof name, "tpr%zu", i);
		expect(name, f.segments[i].tpr);
	}
	expect("demographic_parity_difference", f.demographic_parity_difference);
	expect("disparate_impact", f.disparate_impact);
	expect("equal_opportunity_difference", f.equal_opportunity_difference);
	fairness_free(&f);
	free(seg);
}

/* xorshift64* exactly as gen.py's XorShift. */
static uint64_t
xs_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

static double
xs_uniform(uint64_t *s)
{
	return (double)(xs_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

static double *
large_columns(uint64_t seed, size_t n)
{
	double	*out = xmalloc(n * sizeof *out), a, b, v;
	size_t	 i;

	for (i = 0; i < n; i++) {
		a = xs_uniform(&seed);
		b = xs_uniform(&seed);
		v = a + b * 1.5;
		if (b < 0.5)
			v = floor(v * 64.0) / 64.0;
		out[i] = v;
	}
	return out;
}

static void
case_large(void)
{
	size_t	 n = (size_t)scalar("n"), i;
	double	*a, *b, *p, *y;
	uint64_t s;

	if (find(cur_case, 's', "seed_ref") != NULL) {
		a = large_columns((uint64_t)scalar("seed_ref"), n);
		b = large_columns((uint64_t)scalar("seed_cur"), n);
		for (i = 0; i < n; i++)
			b[i] = b[i] * 1.05 + 0.01;
		expect("check_ref_sum", stats_mean(a, n) * (double)n);
		run_numeric(a, n, b, n);
		free(a);
		free(b);
		return;
	}
	s = (uint64_t)scalar("seed");
	p = xmalloc(n * sizeof *p);
	y = xmalloc(n * sizeof *y);
	for (i = 0; i < n; i++) {
		double u = xs_uniform(&s), w = xs_uniform(&s);

		p[i] = floor(u * 1000.0) / 1000.0;
		y[i] = w < p[i] * 0.8 + 0.1 ? 1.0 : 0.0;
	}
	run_classification(p, y, n, scalar("threshold"));
	free(p);
	free(y);
}

static const struct {
	const char	*kind;
	void		(*fn)(void);
} kinds[] = {
	{ "numeric", case_numeric },
	{ "categorical", case_categorical },
	{ "classification", case_classification },
	{ "regression", case_regression },
	{ "fairness", case_fairness },
	{ "large", case_large },
};

static void
run_case(void)
{
	size_t	i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(cur_case->kind, kinds[i].kind) == 0) {
			kinds[i].fn();
			break;
		}
	if (i == sizeof kinds / sizeof kinds[0])
		th_fail(__FILE__, __LINE__, "unknown case kind");
	else if (cur_case->checked == 0)
		th_fail(__FILE__, __LINE__, "case checked nothing");
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
is_case(const struct dirent *d)
{
	size_t	len = strlen(d->d_name);

	return len > 5 && strcmp(d->d_name + len - 5, ".case") == 0;
}

static char data_dir[4096];

static void
test_cases_present(void)
{
	struct dirent	**list;
	int		  n = scandir(data_dir, &list, is_case, by_name);

	CHECK(n >= 40);
	while (n-- > 0)
		free(list[n]);
	if (n >= -1)
		free(list);
}

static void
grid(const char *file, int two_args, double (*f1)(double),
    double (*f2)(double, double))
{
	char	 path[8192], line[256], raw[128], w[512];
	double	 a, x = 0, want, got;
	FILE	*f;
	int	 rows = 0;

	snprintf(path, sizeof path, "%s/%s", data_dir, file);
	if ((f = fopen(path, "r")) == NULL) {
		th_fail(__FILE__, __LINE__, "grid file missing");
		return;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		if (two_args ? sscanf(line, "%lf %lf %127s", &a, &x, raw) != 3 :
		    sscanf(line, "%lf %127s", &a, raw) != 2)
			continue;
		want = strtod(raw, NULL);
		got = two_args ? f2(a, x) : f1(a);
		rows++;
		if (!near(got, raw, want)) {
			snprintf(w, sizeof w, "%s(%.17g%s%.17g) = %.17g, scipy %s",
			    file, a, two_args ? ", " : "", two_args ? x : 0.0,
			    got, raw);
			th_fail(__FILE__, __LINE__, w);
		}
	}
	fclose(f);
	CHECK(rows > 100);
}

static void
test_kolmogorov_grid(void)
{
	grid("kolmogorov.txt", 0, kolmogorov_sf, NULL);
}

static void
test_gammaincc_grid(void)
{
	grid("gammaincc.txt", 1, NULL, gammainc_q);
}

int
main(void)
{
	struct dirent	**list;
	struct tcase	  c;
	const char	 *root = getenv("MD_ROOT");
	char		  path[8192];
	int		  n, i;

	snprintf(data_dir, sizeof data_dir, "%s%stests/conformance/data",
	    root ? root : "", root ? "/" : "");
	RUN(test_cases_present);
	RUN(test_kolmogorov_grid);
	RUN(test_gammaincc_grid);
	n = scandir(data_dir, &list, is_case, by_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", data_dir, list[i]->d_name);
		if (load(path, &c) == 0) {
			cur_case = &c;
			th_run(c.name, run_case);
			unload(&c);
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return TEST_REPORT();
}
