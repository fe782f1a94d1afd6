package authentication

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"go.uber.org/zap"
)

// StaticTokens authenticates a fixed set of bearer tokens: those of
// --token-auth-file, and the apiserver's own loopback token.
type StaticTokens struct {
	tokens map[string]*User
}

// NewStaticTokens returns an authenticator of tokens (token → user).
func NewStaticTokens(tokens map[string]*User) *StaticTokens {
	m := make(map[string]*User, len(tokens))
	for t, u := range tokens {
		m[t] = u.copyUser()
	}
	return &StaticTokens{tokens: m}
}

// AuthenticateToken looks the token up.
func (s *StaticTokens) AuthenticateToken(_ context.Context, token string) (*User, bool, error) {
	u, ok := s.tokens[token]
	if !ok {
		return nil, false, nil
	}
	return u.copyUser(), true, nil
}

// Len is the number of tokens known.
func (s *StaticTokens) Len() int { return len(s.tokens) }

// LoadTokenFile reads --token-auth-file (see ParseTokenCSV).
func LoadTokenFile(logger *zap.Logger, path string) (*StaticTokens, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("token file: %w", err)
	}
	defer f.Close()
	return ParseTokenCSV(logger, path, f)
}

// ParseTokenCSV reads upstream's token file format, one token a line:
//
//	token,user,uid,"group1,group2"
//
// The groups column is optional (empty names in it are dropped); extra
// columns are ignored. A line with
// fewer than three columns, or that is not valid CSV, is an error naming
// the file and the line. Lines with an empty token are skipped; a repeated
// token keeps its last line (both with a warning, as upstream).
func ParseTokenCSV(logger *zap.Logger, name string, r io.Reader) (*StaticTokens, error) {
	if logger == nil {
		logger = zap.NewNop()
	}
	reader := csv.NewReader(r)
	reader.FieldsPerRecord = -1
	tokens := map[string]*User{}
	for {
		record, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("token file %q line %d: %w", name, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("token file %q: %w", name, err)
		}
		line, _ := reader.FieldPos(0) // a record has at least one field
		if len(record) < 3 {
			return nil, fmt.Errorf("token file %q line %d: must have at least 3 columns (token, user name, user uid), found %d", name, line, len(record))
		}
		if record[0] == "" {
			logger.Warn("empty token in token file", zap.String("file", name), zap.Int("line", line))
			continue
		}
		if record[1] == "" {
			return nil, fmt.Errorf("token file %q line %d: empty user name", name, line)
		}
		if _, dup := tokens[record[0]]; dup {
			logger.Warn("duplicate token in token file", zap.String("file", name), zap.Int("line", line))
		}
		u := &User{Name: record[1], UID: record[2]}
		if len(record) >= 4 {
			for _, g := range strings.Split(record[3], ",") {
				if g != "" {
					u.Groups = append(u.Groups, g)
				}
			}
		}
		tokens[record[0]] = u
	}
	return &StaticTokens{tokens: tokens}, nil
}
