/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the scenario parser. The input is the text of a scenario file parsed
 * from memory (cc_scenario_parse, no overrides) under a path that does not exist, so the
 * fuzzer never depends on files: missing inputs are ordinary scenario errors. Checks: a
 * failure leaves *out NULL and a one-line message; a success gives a named scenario whose
 * thresholds are sorted and unique and whose facility types serve known demand groups.
 */
#include "carecircle/config.h"
#include "carecircle/core.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failed check: name the line, then abort (libFuzzer saves the input). */
#ifndef CC_FUZZ_DIE
#define CC_FUZZ_DIE() (fprintf(stderr, "%s:%d: check failed\n", __FILE__, __LINE__), abort())
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cc_ctx *ctx = NULL;
    if (cc_ctx_create(&ctx) != CC_OK) return 0;
    cc_scenario *sc = (cc_scenario *)(uintptr_t)1; /* must be overwritten */
    cc_status st = cc_scenario_parse(ctx, "/nonexistent-carecircle-fuzz/scenario.yaml",
                                     (const char *)data, size, NULL, 0, &sc);
    if (st != CC_OK) {
        const char *msg = cc_ctx_message(ctx);
        if (sc != NULL || msg[0] == '\0' || strchr(msg, '\n') != NULL) CC_FUZZ_DIE();
    } else {
        if (!sc || !sc->name) CC_FUZZ_DIE();
        for (size_t i = 1; i < sc->n_thresholds; i++)
            if (!(sc->thresholds_min[i - 1] < sc->thresholds_min[i])) CC_FUZZ_DIE();
        for (size_t f = 0; f < sc->n_facilities; f++) {
            if (sc->facilities[f].n_serves == 0) CC_FUZZ_DIE();
            for (size_t k = 0; k < sc->facilities[f].n_serves; k++)
                if (!cc_scenario_demand(sc, sc->facilities[f].serves[k])) CC_FUZZ_DIE();
            char where[256];
            cc_scenario_where(sc, sc->facilities[f].pos, where, sizeof where);
            if (where[0] == '\0') CC_FUZZ_DIE();
        }
    }
    if (st == CC_OK) cc_scenario_destroy(sc);
    cc_ctx_destroy(ctx);
    return 0;
}
