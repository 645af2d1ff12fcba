/* Tests for TLS in the HTTP engine (src/net/http_transfer.c): verification is
 * always on, a private CA is trusted only through ca_bundle. The fault server
 * generates its CA and certificate at start (python3-cryptography). */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "kensa/http.h"
#include "test_http_support.h"
#include "../watchdog.h"

static fault_server srv;

static void stop_server(void)
{
    fs_stop(&srv);
}

TestSuite(http_tls, .fini = stop_server, .init = ks_watchdog_30);

Test(http_tls, private_ca_is_trusted_with_ca_bundle_and_refused_without)
{
    fs_start(&srv, NULL, 1);
    char ca[128], url[160], want[512];
    snprintf(ca, sizeof ca, "%s/ca.pem", srv.tls_dir);
    fs_url(&srv, NULL, "/ok?body=secure", url, sizeof url);
    cr_assert_eq(strncmp(url, "https://", 8), 0);

    ks_http *h = NULL;
    ks_error err;
    cr_assert_eq(ks_http_new(&h, &(ks_http_opts){.ca_bundle = ca}, &err), 0, "%s", err.msg);
    http_collect c;
    collect_init(&c, 1);
    enqueue_get(h, &c, 0, url);
    run_ok(h);
    ks_http_free(h);
    cr_assert_str_eq(c.r[0].error, "");
    cr_assert_eq(c.r[0].status, 200);
    cr_assert_str_eq(c.r[0].body, "secure");
    collect_free(&c);

    cr_assert_eq(ks_http_new(&h, &(ks_http_opts){.max_attempts = 3}, &err), 0, "%s", err.msg);
    collect_init(&c, 1);
    enqueue_get(h, &c, 0, url);
    run_ok(h);
    ks_http_free(h);
    cr_assert_eq(c.r[0].status, 0);
    cr_assert_eq(c.r[0].transport_error, CURLE_PEER_FAILED_VERIFICATION);
    cr_assert_eq(c.r[0].attempts, 1, "a certificate failure is not retried");
    snprintf(want, sizeof want,
             "TLS certificate verification failed: SSL certificate problem: "
             "unable to get local issuer certificate (trust a private CA with --ca-bundle FILE) "
             "(GET %s)",
             url);
    cr_assert_str_eq(c.r[0].error, want);
    collect_free(&c);
}

Test(http_tls, an_unreadable_ca_bundle_is_a_clear_error)
{
    fs_start(&srv, NULL, 1);
    char url[160];
    fs_url(&srv, NULL, "/ok", url, sizeof url);
    ks_http *h = NULL;
    ks_error err;
    cr_assert_eq(ks_http_new(&h, &(ks_http_opts){.ca_bundle = "/nonexistent/ca.pem"}, &err), 0);
    http_collect c;
    collect_init(&c, 1);
    enqueue_get(h, &c, 0, url);
    run_ok(h);
    ks_http_free(h);
    cr_assert_eq(c.r[0].transport_error, CURLE_SSL_CACERT_BADFILE, "%d %s", c.r[0].transport_error,
                 c.r[0].error);
    cr_assert(strncmp(c.r[0].error, "TLS certificate verification failed: ", 37) == 0, "%s",
              c.r[0].error);
    cr_assert(strstr(c.r[0].error, "/nonexistent/ca.pem"), "%s", c.r[0].error);
    collect_free(&c);
}
