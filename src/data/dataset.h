/*
 * dataset: a tabular file (CSV, or JSON in the host contract's `rows`
 * form) read into typed columns, for `modeldeck drift`.
 *
 * Files: CSV with a header row (see csv.h), or JSON when the first
 * non-blank byte is '{' or '[' (for a pipe, which cannot be peeked at,
 * when the name ends in ".json"): a body {"rows": [{"id", "features": {...},
 * "prediction", "label"}]} (a reference body's "task", "threshold",
 * "schema", "segment_by" and "baseline" are read too) or a bare array of
 * such rows.  JSON columns are the schema's names, then feature keys in
 * order of first appearance, then "prediction" and "label".  A column
 * named "id" is not loaded.
 *
 * Types.  The reference decides: a column is numeric when every non-missing
 * cell parses as a finite number (csv_number), else categorical; a JSON
 * schema overrides.  Missing: an empty or blank cell, "NaN" (any case),
 * JSON null or an absent key.  An infinite cell ("inf", "Infinity", 1e999)
 * in a numeric column is an error naming file, line and column.  The
 * current file is read with the reference's types ("dataset_open_like"):
 * text in a numeric column is an error naming file, line and column; its
 * columns must be the reference's (an optional column, the label, may be
 * absent from either side).
 *
 * Memory: a numeric cell is one double (NaN = missing); a categorical cell
 * one int32 id into the column's category dictionary (-1 = missing).  The
 * reference owns the dictionaries; datasets read like it share them (and
 * intern new categories into them), so ids compare across both sides, and
 * the reference must outlive them.  Reading in chunks
 * (dataset_read with max_rows) keeps memory bounded by the chunk, so a
 * current file of any size can be binned; JSON is always parsed whole.
 */
#ifndef MD_DATASET_H
#define MD_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "stats/stats.h"

struct dataset_column {
	char		*name;
	enum stats_kind	 kind;
	double		*num;		/* NUMERIC: one per row, NaN = missing */
	int32_t		*cat;		/* CATEGORICAL: one id per row, -1 = missing */
	struct cat_dict	*dict;		/* CATEGORICAL: the categories */
	int		 own_dict;	/* free dict with the dataset */
	size_t		 missing;	/* missing cells */
};

struct dataset {
	char			*path;
	size_t			 nrows;
	size_t			 cap;		/* rows allocated per column */
	size_t			 ncols;
	struct dataset_column	*cols;
	/* From a JSON reference body; unset: NULL or NaN. */
	char			*task;		/* "binary_classification", "regression" */
	double			 threshold;
	double			 baseline_accuracy;
	char			*segment_by;
};

struct dataset_reader;

/*
 * Load a reference file whole, inferring types.  NULL with *cause naming
 * the file, line and column of what is wrong.
 */
struct dataset	*dataset_load(const char *path, char **cause);
/*
 * Open path to be read with ref's columns and types.  optional (may be
 * NULL) names a column either side may lack: missing from path, it reads
 * as all missing; missing from ref, a numeric all-missing column is added
 * to ref.  NULL with *cause (columns that differ are named).
 */
struct dataset_reader *dataset_open_like(const char *path, struct dataset *ref,
	    const char *optional, char **cause);
/*
 * Read up to max_rows rows into the reader's chunk (emptied first) and
 * point *chunk at it (owned by the reader, columns as in ref).  1 when rows
 * were read, 0 at the end, -1 with *cause.
 */
int		 dataset_read(struct dataset_reader *rd, size_t max_rows,
		    struct dataset **chunk, char **cause);
/* Take the chunk from the reader (the caller frees it with dataset_free). */
struct dataset	*dataset_reader_take(struct dataset_reader *rd);
void		 dataset_reader_close(struct dataset_reader *rd);
/* Load path whole like ref: dataset_open_like + dataset_read to the end. */
struct dataset	*dataset_load_like(const char *path, struct dataset *ref,
		    const char *optional, char **cause);
/* The index of the column called name, or -1. */
long		 dataset_column_index(const struct dataset *ds, const char *name);
void		 dataset_free(struct dataset *ds);

/* ---- between dataset.c and dataset_json.c ------------------------------- */

/* Append a column (dict NULL: a new one, owned, for a categorical kind). */
struct dataset_column *dataset_add_column(struct dataset *ds, const char *name,
		    enum stats_kind kind, struct cat_dict *dict);
/* Make room for rows rows in every column. */
void		 dataset_reserve(struct dataset *ds, size_t rows);
/*
 * Fill ds (empty, path set) from the JSON text of path: with ref NULL,
 * columns and types from the body (and the reference fields); else like
 * ref, as dataset_open_like says.  0, or -1 with *cause.
 */
int		 dataset_json_read(struct dataset *ds, struct dataset *ref,
		    const char *optional, const char *text, size_t len,
		    char **cause);
/* The shortest "%.Ng" reading back as x: a number used as a category name. */
void		 dataset_json_number_name(double x, char *buf, size_t len);

#endif
