/*
 * store_fleet: the SQLite ops for hosts, deployments, metric history and
 * cached references.  Writes run in one BEGIN IMMEDIATE transaction each;
 * models, versions and streams are created as first seen.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_sqlite.h"
#include "util/xmalloc.h"

static void
bind_text_or_null(sqlite3_stmt *stmt, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(stmt, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, i);
}

int
store_fleet_host_put(struct store *st, const struct store_host *h,
    char **cause)
{
	struct sqlite_store *s = SQ(st);
	sqlite3_stmt *stmt;

	if (h->name == NULL || *h->name == '\0')
		return xcause(cause, "store: host without a name");
	if (store_sqlite_begin(s, "host", cause) != 0)
		return -1;
	if ((stmt = store_sqlite_stmt(s, STMT_HOST_PUT, cause)) == NULL)
		goto fail;
	sqlite3_bind_text(stmt, 1, h->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, h->url != NULL ? h->url : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, h->state != NULL ? h->state : "unknown", -1,
	    SQLITE_STATIC);
	bind_text_or_null(stmt, 4, h->error);
	sqlite3_bind_int64(stmt, 5, h->last_ok_ms);
	sqlite3_bind_int64(stmt, 6, h->updated_ms);
	if (store_sqlite_done(s, stmt, h->name, cause) != 0)
		goto fail;
	return store_sqlite_commit(s, h->name, cause);
fail:
	store_sqlite_rollback(s);
	return -1;
}

int
store_fleet_host_list(struct store *st, struct store_host **out, size_t *n,
    char **cause)
{
	struct sqlite_store *s = SQ(st);
	struct store_host *arr = NULL, *h;
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((stmt = store_sqlite_stmt(s, STMT_HOST_LIST, cause)) == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		arr = store_sqlite_grow(arr, n, &cap, sizeof *arr);
		h = &arr[*n - 1];
		h->name = store_sqlite_text(stmt, 0);
		h->url = store_sqlite_text(stmt, 1);
		h->state = store_sqlite_text(stmt, 2);
		h->error = store_sqlite_text(stmt, 3);
		h->last_ok_ms = sqlite3_column_int64(stmt, 4);
		h->updated_ms = sqlite3_column_int64(stmt, 5);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_host_free(arr, *n);
		*n = 0;
		return store_sqlite_fail(s, "hosts", cause);
	}
	*out = arr;
	return 0;
}

static int
deploy_one(struct sqlite_store *s, const struct store_deployment *d,
    char **cause)
{
	struct store_key k = { d->host, d->model, d->version };
	sqlite3_stmt *stmt;
	int64_t stream;

	if (store_sqlite_stream(s, &k, 1, &stream, cause) != 0)
		return -1;
	if ((stmt = store_sqlite_stmt(s, STMT_DEPLOY_ADD, cause)) == NULL)
		return -1;
	/* The stream row knows the host and version ids. */
	sqlite3_bind_int64(stmt, 1, stream);
	sqlite3_bind_text(stmt, 2, d->stage != NULL ? d->stage : "full", -1,
	    SQLITE_STATIC);
	sqlite3_bind_double(stmt, 3, d->traffic_percent);
	sqlite3_bind_int64(stmt, 4, d->since_ms);
	return store_sqlite_done(s, stmt, "deployment", cause);
}

int
store_fleet_deployments_put(struct store *st, const char *host,
    const struct store_deployment *d, size_t n, char **cause)
{
	struct sqlite_store *s = SQ(st);
	sqlite3_stmt *stmt;
	size_t i;

	if (host == NULL || *host == '\0')
		return xcause(cause, "store: deployments without a host");
	for (i = 0; i < n; i++) {
		if (d[i].model == NULL || d[i].version == NULL)
			return xcause(cause, "store: deployment %zu of %s: "
			    "model or version missing", i, host);
	}
	if (store_sqlite_begin(s, "deployments", cause) != 0)
		return -1;
	/* A host that reports nothing still gets its row. */
	if ((stmt = store_sqlite_stmt(s, STMT_HOST_ENSURE, cause)) == NULL)
		goto fail;
	sqlite3_bind_text(stmt, 1, host, -1, SQLITE_STATIC);
	if (store_sqlite_done(s, stmt, host, cause) != 0)
		goto fail;
	if ((stmt = store_sqlite_stmt(s, STMT_DEPLOY_CLEAR, cause)) == NULL)
		goto fail;
	sqlite3_bind_text(stmt, 1, host, -1, SQLITE_STATIC);
	if (store_sqlite_done(s, stmt, host, cause) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		struct store_deployment one = d[i];

		one.host = (char *)host;
		if (deploy_one(s, &one, cause) != 0)
			goto fail;
	}
	return store_sqlite_commit(s, "deployments", cause);
fail:
	store_sqlite_rollback(s);
	return -1;
}

int
store_fleet_deployment_list(struct store *st, struct store_deployment **out,
    size_t *n, char **cause)
{
	struct sqlite_store *s = SQ(st);
	struct store_deployment *arr = NULL, *d;
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((stmt = store_sqlite_stmt(s, STMT_DEPLOY_LIST, cause)) == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		arr = store_sqlite_grow(arr, n, &cap, sizeof *arr);
		d = &arr[*n - 1];
		d->host = store_sqlite_text(stmt, 0);
		d->model = store_sqlite_text(stmt, 1);
		d->version = store_sqlite_text(stmt, 2);
		d->stage = store_sqlite_text(stmt, 3);
		d->traffic_percent = sqlite3_column_double(stmt, 4);
		d->since_ms = sqlite3_column_int64(stmt, 5);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_deployment_free(arr, *n);
		*n = 0;
		return store_sqlite_fail(s, "deployments", cause);
	}
	*out = arr;
	return 0;
}

int
store_fleet_metrics_add(struct store *st, const struct store_metric *m,
    size_t n, char **cause)
{
	struct sqlite_store *s = SQ(st);
	sqlite3_stmt *stmt;
	int64_t stream;
	size_t i;

	if (store_sqlite_begin(s, "metrics", cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct store_key k = { m[i].host, m[i].model, m[i].version };

		if (m[i].name == NULL) {
			xcause(cause, "store: metric %zu without a name", i);
			goto fail;
		}
		if (store_sqlite_stream(s, &k, 1, &stream, cause) != 0 ||
		    (stmt = store_sqlite_stmt(s, STMT_METRIC_ADD, cause)) == NULL)
			goto fail;
		sqlite3_bind_int64(stmt, 1, stream);
		sqlite3_bind_text(stmt, 2, m[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_double(stmt, 3, m[i].value);
		sqlite3_bind_int64(stmt, 4, m[i].ts_ms);
		if (store_sqlite_done(s, stmt, "metrics", cause) != 0)
			goto fail;
	}
	return store_sqlite_commit(s, "metrics", cause);
fail:
	store_sqlite_rollback(s);
	return -1;
}

int
store_fleet_metric_history(struct store *st, const struct store_key *k,
    const char *name, int64_t since_ms, struct store_metric **out, size_t *n,
    char **cause)
{
	struct sqlite_store *s = SQ(st);
	struct store_metric *arr = NULL, *m;
	sqlite3_stmt *stmt;
	int64_t stream;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_sqlite_stream(s, k, 0, &stream, cause) != 0)
		return -1;
	if (stream == 0)
		return 0;
	if ((stmt = store_sqlite_stmt(s, STMT_METRIC_HISTORY, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, stream);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, since_ms);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		arr = store_sqlite_grow(arr, n, &cap, sizeof *arr);
		m = &arr[*n - 1];
		m->host = xstrdup(k->host);
		m->model = xstrdup(k->model);
		m->version = xstrdup(k->version);
		m->name = xstrdup(name);
		m->value = sqlite3_column_double(stmt, 0);
		m->ts_ms = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_metric_free(arr, *n);
		*n = 0;
		return store_sqlite_fail(s, "metric history", cause);
	}
	*out = arr;
	return 0;
}

int
store_fleet_reference_put(struct store *st, const struct store_key *k,
    const char *json, char **cause)
{
	struct sqlite_store *s = SQ(st);
	sqlite3_stmt *stmt;
	int64_t stream;

	if (json == NULL)
		return xcause(cause, "store: reference without a body");
	if (store_sqlite_begin(s, "reference", cause) != 0)
		return -1;
	if (store_sqlite_stream(s, k, 1, &stream, cause) != 0 ||
	    (stmt = store_sqlite_stmt(s, STMT_REF_PUT, cause)) == NULL)
		goto fail;
	sqlite3_bind_int64(stmt, 1, stream);
	sqlite3_bind_text(stmt, 2, json, -1, SQLITE_STATIC);
	if (store_sqlite_done(s, stmt, "reference", cause) != 0)
		goto fail;
	return store_sqlite_commit(s, "reference", cause);
fail:
	store_sqlite_rollback(s);
	return -1;
}

int
store_fleet_reference_get(struct store *st, const struct store_key *k,
    char **json, char **cause)
{
	struct sqlite_store *s = SQ(st);
	sqlite3_stmt *stmt;
	int64_t stream;
	int rc;

	*json = NULL;
	if (store_sqlite_stream(s, k, 0, &stream, cause) != 0)
		return -1;
	if (stream == 0)
		return 0;
	if ((stmt = store_sqlite_stmt(s, STMT_REF_GET, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, stream);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*json = store_sqlite_text(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_fail(s, "reference", cause);
	return 0;
}
