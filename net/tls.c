/*
 * tls.c - the CAs hunter trusts: the system's bundle always, plus the PEM
 * file given with --ca-file (a private CA, a test server's). Both libraries
 * hand over their OpenSSL context before the first handshake, and the extra
 * CAs go into its certificate store, so adding one never drops the others.
 */
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "net_int.h"

int net_tls_add_ca(void *ssl_ctx, const char *ca_file)
{
	if (!ca_file)
		return 0;
	X509_STORE *store = SSL_CTX_get_cert_store(ssl_ctx);
	return store && X509_STORE_load_locations(store, ca_file, NULL) == 1 ? 0 : -1;
}

const char *net_tls_system_cas(void)
{
	/* Debian's lws looks for client CAs in a folder of its own build;
	 * OpenSSL's default bundle is where the system keeps them. */
	return X509_get_default_cert_file();
}
