/*
 * app: releasing the one context (see src/app.h).  Shared by main, the
 * console and the tests, so every owner of a struct app frees it alike.
 */
#include "app.h"

#include <stdlib.h>

#include "cmd/cmd.h"
#include "config/config.h"
#include "store/store.h"

void
app_free(struct app *app)
{
	if (app->store != NULL)
		app->store->ops->close(app->store);
	app->store = NULL;
	config_free(app->cfg);
	app->cfg = NULL;
	identity_free(&app->id);
	free((char *)app->config_path);
	free((char *)app->db_path);
	free(app->refusal);
	free(app->counters);
	app->config_path = app->db_path = NULL;
	app->refusal = NULL;
	app->counters = NULL;
}
