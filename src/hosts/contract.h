/*
 * contract: the JSON bodies of the host contract (docs/host-api.md) read
 * into plain structs, with cJSON: OIP v2 model metadata and the Triton
 * repository index, and the /ops/v1 deployments, reference, samples,
 * labels, action answers and {"error": ...} bodies.
 *
 * Rules for every parser: unknown fields are ignored; a missing required
 * field, a wrong type or a value over a cap fails with *cause naming the
 * JSON path ("rows[3].features.income: expected number or null"); nothing
 * is left allocated in *out on failure; bad input never crashes.
 *
 * Rows are stored by column, in the form the statistics use directly: for
 * each feature of the reference's schema, numeric values as double (NaN =
 * missing) or categorical values as strings (NULL = missing).  Categorical
 * strings are interned per column, so a column of a million rows holds a
 * few distinct strings and a million pointers; the pointers stay valid
 * until the rows are freed.  A categorical feature may be sent as a JSON
 * string, number (written in shortest round-trip form, 3 -> "3") or
 * boolean ("true"/"false").  Features absent from a row are missing;
 * features not in the schema are ignored.
 *
 * Ownership: every struct here owns what it points to and is released by
 * its _free function, which leaves it zeroed; a zeroed struct is empty.
 */
#ifndef MD_CONTRACT_H
#define MD_CONTRACT_H

#include <stddef.h>
#include <stdint.h>

#define CONTRACT_MAX_ROWS	1000000	/* rows in one reference or page */
#define CONTRACT_MAX_FEATURES	4096	/* features in a schema */
#define CONTRACT_MAX_STRING	4096	/* bytes of any one string */
#define CONTRACT_MAX_ITEMS	100000	/* entries of other lists */

/* ---- OIP v2 ---- */

/* An input or output tensor of the model metadata. */
struct contract_tensor {
	char	*name;
	char	*datatype;		/* "FP32"...; "" when absent */
	int64_t	*shape;			/* -1 for a variable dimension */
	size_t	 nshape;
};

/* GET /v2/models/{model}. */
struct contract_model_meta {
	char			*name;
	char			*platform;	/* "" when absent */
	char			**versions;
	size_t			 nversions;
	struct contract_tensor	*inputs;
	size_t			 ninputs;
	struct contract_tensor	*outputs;
	size_t			 noutputs;
};

enum contract_repo_state {
	CONTRACT_REPO_UNKNOWN,		/* absent or another word */
	CONTRACT_REPO_READY,
	CONTRACT_REPO_UNAVAILABLE,
	CONTRACT_REPO_LOADING,
};

/* One entry of POST /v2/repository/index. */
struct contract_repo_entry {
	char			*name;
	char			*version;	/* "" when absent */
	enum contract_repo_state state;
	char			*reason;	/* "" when absent */
};

struct contract_repo_index {
	struct contract_repo_entry *v;
	size_t			 n;
};

/* ---- /ops/v1 ---- */

enum contract_stage {
	CONTRACT_STAGE_SHADOW,
	CONTRACT_STAGE_CANARY,
	CONTRACT_STAGE_FULL,
	CONTRACT_STAGE_RETIRED,
};

struct contract_deployment {
	char			*model;
	char			*version;
	enum contract_stage	 stage;
	double			 traffic_percent;	/* 0..100 */
	int64_t			 since_ms;	/* 0 when absent */
};

/* GET /ops/v1/deployments (host may be ""), or an action's list. */
struct contract_deployments {
	char			*host;
	struct contract_deployment *v;
	size_t			 n;
};

enum contract_task_kind {
	CONTRACT_TASK_BINARY,		/* "binary_classification" */
	CONTRACT_TASK_REGRESSION,	/* "regression" */
};

/*
 * What a label means.  For binary classification a label is stored as 1.0
 * when it equals positive_label (number, string or boolean) and 0.0 when
 * not; for regression it is the number itself.
 */
struct contract_task {
	enum contract_task_kind	 kind;
	double			 threshold;	/* binary; 0.5 when absent */
	double			 positive_num;	/* positive label if a number */
	char			*positive_str;	/* or if a string, else NULL */
};

enum contract_feature_kind {
	CONTRACT_NUMERIC,
	CONTRACT_CATEGORICAL,
};

struct contract_feature {
	char			*name;
	enum contract_feature_kind kind;
	double			 importance;	/* NaN when not given */
};

/* One feature's values: num for numeric features, cat for categorical. */
struct contract_column {
	double			*num;	/* NaN = missing */
	const char		**cat;	/* NULL = missing; interned strings */
};

struct contract_dict;			/* private: the interned strings */

/* Rows by column; the schema (names, kinds) is the reference's. */
struct contract_rows {
	size_t			 n;
	size_t			 nfeatures;
	char			**id;
	int64_t			*ts_ms;		/* samples: ts; reference: 0 */
	double			*prediction;	/* NaN when null */
	double			*label;		/* reference only, NaN = none */
	struct contract_column	*cols;		/* nfeatures columns */

	size_t			 cap;
	struct contract_dict	*dicts;		/* one per column */
};

/* A named number of the reference's baseline ("accuracy": 0.91). */
struct contract_metric {
	char	*name;
	double	 value;
};

/* GET /ops/v1/models/{m}/versions/{v}/reference. */
struct contract_reference {
	struct contract_task	 task;
	struct contract_feature	*schema;
	size_t			 nfeatures;
	char			*segment_by;	/* NULL when absent */
	int			 segment_index;	/* in schema, -1 when absent */
	struct contract_metric	*baseline;
	size_t			 nbaseline;
	struct contract_rows	 rows;
};

/* A samples page: GET .../samples?after=...&limit=... */
struct contract_samples {
	char			*cursor;	/* "" when null or absent */
	int			 more;
	struct contract_rows	 rows;
};

struct contract_label {
	char	*id;
	double	 label;		/* as contract_task says */
	int64_t	 ts_ms;		/* 0 when absent */
};

/* A labels page: GET .../labels?after=...&limit=... */
struct contract_labels {
	char			*cursor;
	int			 more;
	struct contract_label	*v;
	size_t			 n;
};

/* The answer to POST /ops/v1/models/{m}/actions. */
struct contract_action_answer {
	char			*request_id;
	char			*status;	/* "applied", ... */
	struct contract_deployments deployments;
};

/* Parse GET /v2/models/{model}.  0, or -1 with *cause. */
int	 contract_parse_model_meta(const char *buf, size_t len,
	    struct contract_model_meta *out, char **cause);
void	 contract_model_meta_free(struct contract_model_meta *m);

/* Parse POST /v2/repository/index.  0, or -1 with *cause. */
int	 contract_parse_repo_index(const char *buf, size_t len,
	    struct contract_repo_index *out, char **cause);
void	 contract_repo_index_free(struct contract_repo_index *r);

/* Parse GET /ops/v1/deployments.  0, or -1 with *cause. */
int	 contract_parse_deployments(const char *buf, size_t len,
	    struct contract_deployments *out, char **cause);
void	 contract_deployments_free(struct contract_deployments *d);

/* Parse a reference body.  0, or -1 with *cause. */
int	 contract_parse_reference(const char *buf, size_t len,
	    struct contract_reference *out, char **cause);
void	 contract_reference_free(struct contract_reference *r);

/* Parse a samples page against ref's schema.  0, or -1 with *cause. */
int	 contract_parse_samples(const char *buf, size_t len,
	    const struct contract_reference *ref, struct contract_samples *out,
	    char **cause);
void	 contract_samples_free(struct contract_samples *s);

/*
 * Parse a labels page; task (the reference's, may be NULL: then labels must
 * be numbers, kept as they are) says how labels are stored.
 */
int	 contract_parse_labels(const char *buf, size_t len,
	    const struct contract_task *task, struct contract_labels *out,
	    char **cause);
void	 contract_labels_free(struct contract_labels *l);

/* Parse an action's 200 answer.  0, or -1 with *cause. */
int	 contract_parse_action_answer(const char *buf, size_t len,
	    struct contract_action_answer *out, char **cause);
void	 contract_action_answer_free(struct contract_action_answer *a);

/*
 * The message of an {"error": "..."} body (cut to CONTRACT_MAX_STRING), or
 * NULL when the body is not one; the caller frees it.
 */
char	*contract_error_message(const char *buf, size_t len);

/* Free the rows' arrays and interned strings; leaves r zeroed. */
void	 contract_rows_free(struct contract_rows *r);

/* The schema index of feature name in ref, or -1. */
int	 contract_reference_feature(const struct contract_reference *ref,
	    const char *name);

/* The stage's word ("canary"), and the word's stage (-1 when unknown). */
const char *contract_stage_name(enum contract_stage stage);
int	 contract_stage_from_name(const char *name);

#endif
