/*
 * The writers' colours: one per facility type (in scenario order, ColorBrewer Dark2, Cynthia
 * Brewer, colorbrewer2.org: qualitative, distinct from the reason colours) and one per
 * underserved reason (ColorBrewer Set2). The QGIS styles, the QGIS project and the report use
 * these, so a type or a reason has one colour in every client.
 */
#include "core/internal.h"
#include "report_internal.h"

static const unsigned char TYPE_RGB[][3] = {{217, 95, 2},   {27, 158, 119}, {117, 112, 179},
                                            {231, 41, 138}, {102, 166, 30}, {230, 171, 2},
                                            {166, 118, 29}};

static const unsigned char REASON_RGB[CC_REASON_COUNT][3] = {
    {102, 194, 165}, /* covered */
    {141, 160, 203}, /* over_capacity */
    {252, 141, 98},  /* no_facility_in_reach */
    {231, 138, 195}, /* network_detour */
    {166, 216, 84},  /* off_network */
    {255, 217, 47},  /* island */
};

void cc__palette_type(size_t t, int rgb[3])
{
    const unsigned char *c = TYPE_RGB[t % (sizeof TYPE_RGB / sizeof *TYPE_RGB)];
    rgb[0] = c[0];
    rgb[1] = c[1];
    rgb[2] = c[2];
}

void cc__palette_reason(int reason, int rgb[3])
{
    static const unsigned char grey[3] = {160, 160, 160};
    const unsigned char *c = reason >= 0 && reason < CC_REASON_COUNT ? REASON_RGB[reason] : grey;
    rgb[0] = c[0];
    rgb[1] = c[1];
    rgb[2] = c[2];
}

cc_status cc__qml_types(cc_ctx *ctx, const cc_study *st, cc_qml_type **out)
{
    *out = cc_calloc(ctx, st->n_types ? st->n_types : 1, sizeof **out);
    if (!*out) return CC_ERR_NOMEM;
    for (size_t t = 0; t < st->n_types; t++) {
        const char *label = st->fac[t].spec->label;
        (*out)[t].name = st->fac[t].spec->name;
        (*out)[t].label = label && *label ? label : NULL;
    }
    return CC_OK;
}
