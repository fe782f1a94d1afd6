package authentication

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

var errBroken = errors.New("token authenticator broken")

func fixedTokens() TokenAuthenticator {
	return TokenAuthenticatorFunc(func(_ context.Context, token string) (*User, bool, error) {
		switch token {
		case "good":
			return &User{Name: "alice"}, true, nil
		case "broken":
			return nil, false, errBroken
		}
		return nil, false, nil
	})
}

func TestBearerToken(t *testing.T) {
	tests := []struct {
		header   string
		wantUser string
		wantErr  error
		kept     bool // Authorization header left in place
	}{
		{header: "", kept: true},
		{header: "Basic YWxpY2U6cGFzcw==", kept: true},
		{header: "Bearer  good", kept: true}, // two spaces: empty token
		{header: "Bearer", kept: true},
		{header: "Bearer good", wantUser: "alice"},
		{header: "bearer good", wantUser: "alice"},
		{header: "BEARER good trailing", wantUser: "alice"},
		{header: "Bearer unknown", wantErr: errInvalidToken, kept: true},
		{header: "Bearer broken", wantErr: errBroken, kept: true},
	}
	a := NewBearerToken(fixedTokens())
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			u, ok, err := a.AuthenticateRequest(r)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if tt.wantUser != "" && (!ok || u.Name != tt.wantUser) {
				t.Fatalf("got %+v %v", u, ok)
			}
			if tt.wantUser == "" && ok {
				t.Fatalf("authenticated %+v", u)
			}
			if kept := r.Header.Get("Authorization") == tt.header; kept != tt.kept {
				t.Errorf("header kept %v, want %v", kept, tt.kept)
			}
		})
	}
}

func TestWebSocketProtocol(t *testing.T) {
	enc := func(tok string) string {
		return bearerProtocolPrefix + base64.RawURLEncoding.EncodeToString([]byte(tok))
	}
	tests := []struct {
		name      string
		websocket bool
		protocols []string
		wantUser  string
		wantErr   string
		wantProto string // header after success
	}{
		{name: "not a websocket", protocols: []string{enc("good"), "v5.channel.k8s.io"}},
		{name: "no token", websocket: true, protocols: []string{"v5.channel.k8s.io"}},
		{name: "good", websocket: true, protocols: []string{enc("good") + ", v5.channel.k8s.io", "v4.channel.k8s.io"},
			wantUser: "alice", wantProto: "v5.channel.k8s.io,v4.channel.k8s.io"},
		{name: "no other protocol", websocket: true, protocols: []string{enc("good")}, wantErr: "missing additional subprotocol"},
		{name: "two tokens", websocket: true, protocols: []string{enc("good"), enc("good"), "x"}, wantErr: "multiple base64.bearer.authorization tokens specified"},
		{name: "bad base64", websocket: true, protocols: []string{bearerProtocolPrefix + "!!", "x"}, wantErr: "invalid base64.bearer.authorization token encoding"},
		{name: "unknown token", websocket: true, protocols: []string{enc("nope"), "x"}, wantErr: "invalid bearer token"},
	}
	a := NewWebSocketProtocol(fixedTokens())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/api/v1/namespaces/default/pods/p/exec", nil)
			if tt.websocket {
				r.Header.Set("Connection", "keep-alive, Upgrade")
				r.Header.Set("Upgrade", "websocket")
			}
			for _, p := range tt.protocols {
				r.Header.Add("Sec-WebSocket-Protocol", p)
			}
			u, ok, err := a.AuthenticateRequest(r)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantUser == "" {
				if ok {
					t.Fatalf("authenticated %+v", u)
				}
				return
			}
			if !ok || u.Name != tt.wantUser {
				t.Fatalf("got %+v %v", u, ok)
			}
			if got := r.Header.Get("Sec-WebSocket-Protocol"); got != tt.wantProto {
				t.Errorf("protocols left %q, want %q", got, tt.wantProto)
			}
		})
	}
}
