package storage

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
)

// continueVersion is the only continue token format, upstream's.
const continueVersion = "meta.k8s.io/v1"

// continueToken is the JSON inside a continue token (base64url, no
// padding): the revision the list is read at and the key, relative to the
// list's prefix, that the next page starts from. Upstream's servers read
// and write the same tokens.
type continueToken struct {
	APIVersion      string `json:"v"`
	ResourceVersion int64  `json:"rv"`
	StartKey        string `json:"start"`
}

// encodeContinue returns the token of a list of keyPrefix going on from key
// at revision rev (-1: at the latest revision).
func encodeContinue(key, keyPrefix string, rev int64) (string, error) {
	rel, ok := strings.CutPrefix(key, keyPrefix)
	if !ok {
		return "", fmt.Errorf("continue key %q is not under %q", key, keyPrefix)
	}
	data, err := json.Marshal(continueToken{APIVersion: continueVersion, ResourceVersion: rev, StartKey: rel})
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(data), nil
}

// decodeContinue reads a token of a list of keyPrefix into the full key to
// start from and the revision to read at (-1: the latest). The key stays
// under keyPrefix whatever the token says. The errors' text is upstream's.
func decodeContinue(token, keyPrefix string) (string, int64, error) {
	data, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", 0, fmt.Errorf("continue key is not valid: %v", err)
	}
	var c continueToken
	if err := json.Unmarshal(data, &c); err != nil {
		return "", 0, fmt.Errorf("continue key is not valid: %v", err)
	}
	if c.APIVersion != continueVersion {
		return "", 0, fmt.Errorf("continue key is not valid: server does not recognize this encoded version %s", c.APIVersion)
	}
	if c.ResourceVersion == 0 {
		return "", 0, errors.New("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
	}
	if c.StartKey == "" {
		return "", 0, errors.New("continue key is not valid: encoded start key empty (version meta.k8s.io/v1)")
	}
	// A start key that path.Clean would change ("../x", "./x", "a/../..")
	// could reach above keyPrefix: refuse it.
	key := c.StartKey
	if !strings.HasPrefix(key, "/") {
		key = "/" + key
	}
	if path.Clean(key) != key {
		return "", 0, fmt.Errorf("continue key is not valid: %s", c.StartKey)
	}
	return keyPrefix + key[1:], c.ResourceVersion, nil
}
