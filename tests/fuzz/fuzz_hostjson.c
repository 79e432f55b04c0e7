/*
 * libFuzzer harness: every JSON body of the host contract (OIP v2 metadata
 * and repository index, /ops/v1 deployments, reference, samples, labels,
 * action answers, error bodies) parsed from the same input.  Samples are
 * read against a fixed two-feature reference.  Also built into
 * tests/unit/test_prom_fuzz.c, which replays corpus/hostjson/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hosts/contract.h"

static const char hostjson_ref[] = "{\"task\":\"binary_classification\","
    "\"positive_label\":\"yes\",\"schema\":[{\"name\":\"income\",\"type\":"
    "\"numeric\"},{\"name\":\"region\",\"type\":\"categorical\"}],"
    "\"rows\":[]}";

/* Free the cause a failed parse left, and reset it for the next. */
static void
hostjson_drop(char **cause)
{
	free(*cause);
	*cause = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char			*b = (const char *)data;
	struct contract_model_meta	 meta;
	struct contract_repo_index	 idx;
	struct contract_deployments	 dep;
	struct contract_reference	 ref, fixed;
	struct contract_samples		 smp;
	struct contract_labels		 lab;
	struct contract_action_answer	 act;
	char				*cause = NULL;

	(void)contract_parse_model_meta(b, size, &meta, &cause);
	hostjson_drop(&cause);
	contract_model_meta_free(&meta);
	(void)contract_parse_repo_index(b, size, &idx, &cause);
	hostjson_drop(&cause);
	contract_repo_index_free(&idx);
	(void)contract_parse_deployments(b, size, &dep, &cause);
	hostjson_drop(&cause);
	contract_deployments_free(&dep);
	(void)contract_parse_reference(b, size, &ref, &cause);
	hostjson_drop(&cause);
	contract_reference_free(&ref);
	if (contract_parse_reference(hostjson_ref, strlen(hostjson_ref), &fixed,
	    NULL) == 0) {
		(void)contract_parse_samples(b, size, &fixed, &smp, &cause);
		hostjson_drop(&cause);
		contract_samples_free(&smp);
		(void)contract_parse_labels(b, size, &fixed.task, &lab, &cause);
		hostjson_drop(&cause);
		contract_labels_free(&lab);
		contract_reference_free(&fixed);
	}
	(void)contract_parse_labels(b, size, NULL, &lab, &cause);
	hostjson_drop(&cause);
	contract_labels_free(&lab);
	(void)contract_parse_action_answer(b, size, &act, &cause);
	hostjson_drop(&cause);
	contract_action_answer_free(&act);
	free(contract_error_message(b, size));
	return (0);
}
