/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 of buffers and files for provenance records (OpenSSL libcrypto: a maintained,
 * Debian-packaged implementation that planners can check against `sha256sum`).
 */
#include "internal.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

void cc_hex(const unsigned char *d, size_t n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * n] = '\0';
}

cc_status cc_sha256_hex(cc_ctx *ctx, const void *data, size_t len, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL))
        return cc_error(ctx, CC_ERR_INTERNAL, "SHA-256 failed");
    cc_hex(md, n, hex);
    return CC_OK;
}

cc_status cc_sha256_file(cc_ctx *ctx, const char *path, char hex[65], uint64_t *size_out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cc_error(ctx, CC_ERR_IO, "cannot open '%s': %s; check the path", path,
                        strerror(errno));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    cc_status st = CC_OK;
    uint64_t total = 0;
    if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        st = cc_error(ctx, CC_ERR_INTERNAL, "SHA-256 init failed");
        goto done;
    }
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        EVP_DigestUpdate(md, buf, n);
        total += n;
    }
    if (ferror(f)) {
        st = cc_error(ctx, CC_ERR_IO, "cannot read '%s'", path);
        goto done;
    }
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned on = 0;
    EVP_DigestFinal_ex(md, out, &on);
    cc_hex(out, on, hex);
    if (size_out) *size_out = total;
done:
    EVP_MD_CTX_free(md);
    fclose(f);
    return st;
}

/* The streaming hash is OpenSSL's digest context itself, under core's name. */
cc_status cc_sha256_begin(cc_ctx *ctx, cc_sha256 **out)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(md);
        *out = NULL;
        return cc_error(ctx, CC_ERR_INTERNAL, "SHA-256 init failed");
    }
    *out = (cc_sha256 *)md;
    return CC_OK;
}

int cc_sha256_update(cc_sha256 *h, const void *data, size_t len)
{
    return EVP_DigestUpdate((EVP_MD_CTX *)h, data, len) == 1;
}

int cc_sha256_final(cc_sha256 *h, unsigned char digest[32])
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    int ok = EVP_DigestFinal_ex((EVP_MD_CTX *)h, out, &n) == 1 && n == 32;
    if (ok) memcpy(digest, out, 32);
    EVP_MD_CTX_free((EVP_MD_CTX *)h);
    return ok;
}

void cc_sha256_free(cc_sha256 *h)
{
    EVP_MD_CTX_free((EVP_MD_CTX *)h);
}
