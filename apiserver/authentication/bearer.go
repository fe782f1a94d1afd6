package authentication

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"
)

var errInvalidToken = errors.New("invalid bearer token")

// NewBearerToken authenticates the token of an "Authorization: Bearer
// <token>" header with t. A request without such a header is not
// recognised; a token t does not recognise is an error (never anonymous).
// The header is removed once the token is accepted, so that nothing behind
// the filter can reuse it. (?access_token= is not read, as upstream.)
func NewBearerToken(t TokenAuthenticator) Authenticator {
	return AuthenticatorFunc(func(r *http.Request) (*User, bool, error) {
		auth := strings.TrimSpace(r.Header.Get("Authorization"))
		if auth == "" {
			return nil, false, nil
		}
		parts := strings.SplitN(auth, " ", 3)
		if len(parts) < 2 || !strings.EqualFold(parts[0], "bearer") {
			return nil, false, nil
		}
		token := parts[1]
		if token == "" { // "Bearer  token": two spaces
			return nil, false, nil
		}
		u, ok, err := t.AuthenticateToken(r.Context(), token)
		if ok {
			r.Header.Del("Authorization")
		}
		if !ok && err == nil {
			err = errInvalidToken
		}
		if !ok {
			return nil, false, err
		}
		return u, true, nil
	})
}

const (
	bearerProtocolPrefix = "base64url.bearer.authorization.k8s.io."
	protocolHeader       = "Sec-Websocket-Protocol"
)

// NewWebSocketProtocol authenticates a WebSocket upgrade whose
// Sec-WebSocket-Protocol lists "base64url.bearer.authorization.k8s.io.<token
// in unpadded base64url>" (how browsers pass a token), with t. Another
// subprotocol must be listed too; the token's is removed on success.
func NewWebSocketProtocol(t TokenAuthenticator) Authenticator {
	return AuthenticatorFunc(func(r *http.Request) (*User, bool, error) {
		if !isWebSocket(r) {
			return nil, false, nil
		}
		var token string
		seen := false
		var others []string
		for _, h := range r.Header.Values(protocolHeader) {
			for _, p := range strings.Split(h, ",") {
				p = strings.TrimSpace(p)
				if !strings.HasPrefix(p, bearerProtocolPrefix) {
					others = append(others, p)
					continue
				}
				if seen {
					return nil, false, errors.New("multiple base64.bearer.authorization tokens specified")
				}
				seen = true
				raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(p, bearerProtocolPrefix))
				if err != nil {
					return nil, false, errors.New("invalid base64.bearer.authorization token encoding")
				}
				if !utf8.Valid(raw) {
					return nil, false, errors.New("invalid base64.bearer.authorization token")
				}
				token = string(raw)
			}
		}
		if token != "" && len(others) == 0 {
			return nil, false, errors.New("missing additional subprotocol")
		}
		if token == "" {
			return nil, false, nil
		}
		u, ok, err := t.AuthenticateToken(r.Context(), token)
		if ok {
			r.Header.Set(protocolHeader, strings.Join(others, ","))
			return u, true, nil
		}
		if err == nil {
			err = errInvalidToken
		}
		return nil, false, err
	})
}

func isWebSocket(r *http.Request) bool {
	upgrade := false
	for _, v := range r.Header.Values("Connection") {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), "upgrade") {
				upgrade = true
			}
		}
	}
	return upgrade && strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}
