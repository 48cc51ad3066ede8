/*
 * LD_PRELOAD shim for wrk (bench/run.sh): the two TLS options wrk lacks, set per connection from the environment.
 *
 *   WRK_TLS_NO_RESUME=1      a full handshake on every connection. wrk reconnects with SSL_clear() on its SSL
 *                            object, which keeps the last session, so its next SSL_connect() offers that session
 *                            (TLS 1.3: a PSK from the server's ticket) and the server resumes it: with
 *                            "Connection: close" alone wrk measures resumed handshakes.
 *   WRK_TLS_CERT, WRK_TLS_KEY a client certificate (PEM chain) and its key (PEM), for /simplereenroll over TLS
 *                            client authentication.
 *
 * Built by run.sh with gcc; only OpenSSL's stable C API, declared here so that no -dev package is needed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct ssl_st SSL;
typedef struct ssl_session_st SSL_SESSION;
extern int SSL_set_session(SSL *ssl, SSL_SESSION *session);
extern int SSL_use_certificate_chain_file(SSL *ssl, const char *file);
extern int SSL_use_PrivateKey_file(SSL *ssl, const char *file, int type);
extern int SSL_in_before(const SSL *ssl);
#define PEM_FILETYPE 1 /* SSL_FILETYPE_PEM */

int SSL_connect(SSL *ssl) {
    static int (*real)(SSL *) = NULL;
    if (real == NULL) {
        real = (int (*)(SSL *)) dlsym(RTLD_NEXT, "SSL_connect");
    }
    if (!SSL_in_before(ssl)) {
        return real(ssl); /* a non-blocking handshake in progress: wrk calls again until it completes */
    }
    const char *no_resume = getenv("WRK_TLS_NO_RESUME");
    if (no_resume != NULL && no_resume[0] == '1') {
        SSL_set_session(ssl, NULL);
    }
    const char *cert = getenv("WRK_TLS_CERT");
    const char *key = getenv("WRK_TLS_KEY");
    if (cert != NULL && cert[0] != '\0' && key != NULL) {
        if (SSL_use_certificate_chain_file(ssl, cert) != 1 || SSL_use_PrivateKey_file(ssl, key, PEM_FILETYPE) != 1) {
            fprintf(stderr, "wrk-tls: cannot use %s / %s\n", cert, key);
            return -1;
        }
    }
    return real(ssl);
}
