// Package authentication tells kube-apiserver who sent a request, as
// upstream's authenticators do: x509 client certificates (--client-ca-file),
// static bearer tokens (--token-auth-file), service-account JWTs
// (--service-account-key-file, --service-account-issuer, --api-audiences),
// and anonymous requests (--anonymous-auth).
//
// Every plugin is an Authenticator (or a TokenAuthenticator that
// NewBearerToken turns into one). New builds the chain upstream runs:
//
//	union(x509, bearer token, websocket protocol token)
//	  → add group system:authenticated
//	  → anonymous, only when nothing was presented
//
// A request whose chain answers an error, or no user, gets 401 with the
// Status that Unauthorized returns; WithAuthentication is the HTTP filter
// doing so, putting the User into the request's context (UserFrom).
//
// Issuer signs the bound service-account tokens of the TokenRequest API, and
// ReviewToken answers TokenReview.
package authentication
