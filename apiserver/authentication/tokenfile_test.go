package authentication

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseTokenCSV(t *testing.T) {
	good := `abc123,admin,uid-1,"system:masters,ops"
def456,bob,uid-2
,empty,uid-3
ghi789,carol,uid-4,""
dup,first,uid-5
dup,second,uid-6,g1,extra-column
`
	tokens, err := ParseTokenCSV(nil, "tokens.csv", strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*User{
		"abc123": {Name: "admin", UID: "uid-1", Groups: []string{"system:masters", "ops"}},
		"def456": {Name: "bob", UID: "uid-2"},
		"ghi789": {Name: "carol", UID: "uid-4"},
		"dup":    {Name: "second", UID: "uid-6", Groups: []string{"g1"}},
	}
	if tokens.Len() != len(want) {
		t.Fatalf("%d tokens, want %d", tokens.Len(), len(want))
	}
	for tok, w := range want {
		u, ok, err := tokens.AuthenticateToken(context.Background(), tok)
		if err != nil || !ok || !reflect.DeepEqual(u, w) {
			t.Errorf("token %q: %+v %v %v, want %+v", tok, u, ok, err, w)
		}
	}
	if u, ok, err := tokens.AuthenticateToken(context.Background(), "nope"); ok || err != nil || u != nil {
		t.Errorf("unknown token: %v %v %v", u, ok, err)
	}
	// the returned user is a copy
	u, _, _ := tokens.AuthenticateToken(context.Background(), "abc123")
	u.Groups[0] = "changed"
	if u2, _, _ := tokens.AuthenticateToken(context.Background(), "abc123"); u2.Groups[0] != "system:masters" {
		t.Error("caller changed the stored user")
	}

	bad := []struct {
		name, data, wantErr string
	}{
		{"two columns", "a,b,c\nx,y\n", `token file "f.csv" line 2: must have at least 3 columns`},
		{"one column", "lonely\n", `line 1: must have at least 3 columns (token, user name, user uid), found 1`},
		{"bare quote", "a,b,c\nd,e\"x,f\n", `token file "f.csv" line 2: bare " in non-quoted-field`},
		{"unterminated quote", "a,b,c,\"g1\n", `line 1: extraneous or missing " in quoted-field`},
		{"empty user", "tok,,uid\n", `line 1: empty user name`},
		{"unterminated first field", "a,b,c\n\"tok,b,c\n", `token file "f.csv" line 2: extraneous or missing " in quoted-field`},
		{"quote in first field", "x\"y,b,c\n", `line 1: bare " in non-quoted-field`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTokenCSV(nil, "f.csv", strings.NewReader(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoadTokenFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "tokens.csv")
	if err := os.WriteFile(p, []byte("t1,alice,1,devs\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tokens, err := LoadTokenFile(nil, p)
	if err != nil || tokens.Len() != 1 {
		t.Fatalf("%v %v", tokens, err)
	}
	if _, err := LoadTokenFile(nil, filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing file accepted")
	}
}
