/*
 * libFuzzer harness: Prometheus HTTP API answers read into a scrape, then
 * the derived figures.  Also built into tests/unit/test_prom_fuzz.c, which
 * replays corpus/promapi/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "hosts/derive.h"
#include "hosts/promapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prom_scrape	 s = { 0 };
	struct derive_figures	 f;
	char			*cause = NULL;
	size_t			 i;

	if (promapi_parse((const char *)data, size, &s, &cause) == 0) {
		for (i = 0; i < s.nmodels; i++)
			derive_figures(NULL, &s.models[i], &f);
	}
	free(cause);
	prom_scrape_free(&s);
	return (0);
}
