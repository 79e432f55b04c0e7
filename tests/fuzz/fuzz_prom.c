/*
 * libFuzzer harness: the Prometheus text parser (strict and lenient) and
 * the derived figures over whatever it returns.  Also built into
 * tests/unit/test_prom_fuzz.c, which replays corpus/prom/ on every
 * `make test`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "hosts/derive.h"
#include "hosts/prom.h"

static void
prom_fuzz_derive(const struct prom_scrape *s)
{
	struct derive_figures	f;
	size_t			i, k;

	for (i = 0; i < s->nmodels; i++) {
		derive_figures(NULL, &s->models[i], &f);
		derive_figures(&s->models[i], &s->models[i], &f);
		if (i > 0)
			derive_figures(&s->models[i - 1], &s->models[i], &f);
		for (k = 0; k < s->models[i].nkpis; k++)
			(void)derive_kpi(&s->models[i], s->models[i].kpis[k].kpi);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prom_scrape	 s;
	char			*cause = NULL;

	if (prom_parse((const char *)data, size, 0, &s, &cause) == 0) {
		prom_fuzz_derive(&s);
		prom_scrape_free(&s);
	}
	free(cause);
	if (prom_parse((const char *)data, size, PROM_LENIENT, &s, NULL) == 0) {
		prom_fuzz_derive(&s);
		prom_scrape_free(&s);
	}
	return (0);
}
