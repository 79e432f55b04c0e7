/*
 * contract_int: what contract.c and contract_rows.c share and nothing else
 * sees: the row parser and the label rule, over cJSON trees.  The rows and
 * their interned strings are owned by the struct contract_rows filled in,
 * released by contract_rows_free.
 */
#ifndef MD_CONTRACT_INT_H
#define MD_CONTRACT_INT_H

#include <cjson/cJSON.h>

#include "hosts/contract.h"
#include "hosts/jsonget.h"

_Static_assert(JSONGET_MAX_STRING == CONTRACT_MAX_STRING,
    "the getters' string cap is the contract's");

/*
 * Parse o's "rows" against a schema of nf features into r (labels kept
 * when task is not NULL).  0, or -1 with *cause; r is then partly filled
 * and the caller frees it with contract_rows_free.
 */
int	 contract_rows_parse(const cJSON *o,
	    const struct contract_feature *schema, size_t nf,
	    const struct contract_task *task, struct contract_rows *r,
	    char **cause);

/*
 * A label as the task says (NULL task: a number kept as it is), NaN for
 * null.  0, or -1 when v is of a type the task does not take.
 */
int	 contract_rows_task_label(const struct contract_task *task,
	    const cJSON *v, double *out);

#endif
