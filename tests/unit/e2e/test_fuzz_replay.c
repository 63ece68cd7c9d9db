/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replays the fuzz targets' seed corpora (tests/fuzz/corpus/<target>/) and every input that
 * once made a target fail (tests/fuzz/regress/<target>/) as an ordinary unit test, so a
 * normal (non-clang, non-fuzzer) build keeps checking them. A target that finds a mismatch
 * aborts, which fails this test with the target's message on stderr.
 */
#define LLVMFuzzerTestOneInput fuzz_scenario_one
#include "../../fuzz/fuzz_scenario.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_number_one
#include "../../fuzz/fuzz_number.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_route_one
#include "../../fuzz/fuzz_route.c"
#undef LLVMFuzzerTestOneInput

#include "cc_test.h"

#include <dirent.h>

typedef int (*one_fn)(const uint8_t *, size_t);

/* Run fn on every file in dir; returns the number of files replayed. */
static int replay_dir(const char *dir, one_fn fn)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "README.md")) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        uint8_t *buf = malloc(1 << 20);
        size_t len = buf ? fread(buf, 1, 1 << 20, f) : 0;
        fclose(f);
        if (!buf) continue;
        fprintf(stderr, "replay %s\n", path);
        fn(buf, len);
        free(buf);
        n++;
    }
    closedir(d);
    return n;
}

int main(void)
{
    const char *names[3] = {"fuzz_scenario", "fuzz_number", "fuzz_route"};
    one_fn fns[3] = {fuzz_scenario_one, fuzz_number_one, fuzz_route_one};
    char dir[1024];
    for (int t = 0; t < 3; t++) {
        snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", CC_SOURCE_DIR, names[t]);
        int seeds = replay_dir(dir, fns[t]);
        CHECK(seeds >= 3);
        snprintf(dir, sizeof dir, "%s/tests/fuzz/regress/%s", CC_SOURCE_DIR, names[t]);
        replay_dir(dir, fns[t]);
    }
    /* A few fixed round trips of the number target's second mode (raw doubles). */
    const double xs[] = {0.1, -2.5, 114.3051234567, 1e17, -0.0, 3372790.25};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        for (int dec = 0; dec <= 9; dec++) {
            uint8_t b[9];
            b[0] = (uint8_t)(1 | dec << 1);
            memcpy(b + 1, &xs[i], 8);
            fuzz_number_one(b, sizeof b);
        }
    CHECK(1);
    return cc_test_done();
}
