/* A user's program, built against the installed library by tests/lib/test_install.sh: load a
 * scenario through the public API, check its inputs, print the version and one figure. */
#include <carecircle.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    cc_ctx *ctx = NULL;
    cc_scenario *sc = NULL;
    cc_buf report = {0};
    if (argc != 2 || cc_ctx_create(&ctx) != CC_OK) return 2;
    cc_status st = cc_scenario_load(ctx, argv[1], NULL, 0, &sc);
    if (st == CC_OK) st = cc_pipeline_check(ctx, sc, &report);
    const char *line = st == CC_OK ? strstr(report.s, "demand points: ") : NULL;
    if (line) printf("carecircle %s: %.*s\n", CC_VERSION_STRING, (int)strcspn(line, "\n"), line);
    else fprintf(stderr, "sample_check: %s\n", cc_ctx_message(ctx));
    cc_buf_free(&report);
    cc_scenario_destroy(sc);
    cc_ctx_destroy(ctx);
    return line ? 0 : 1;
}
