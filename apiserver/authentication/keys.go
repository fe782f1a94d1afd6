package authentication

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	jose "github.com/go-jose/go-jose/v4"
)

// LoadPublicKeys reads the verification keys of the
// --service-account-key-file files (see ParsePublicKeysPEM).
func LoadPublicKeys(paths ...string) ([]crypto.PublicKey, error) {
	var keys []crypto.PublicKey
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("service account key file: %w", err)
		}
		ks, err := ParsePublicKeysPEM(data)
		if err != nil {
			return nil, fmt.Errorf("service account key file %q: %w", p, err)
		}
		keys = append(keys, ks...)
	}
	return keys, nil
}

// ParsePublicKeysPEM returns the RSA and ECDSA public keys of every PEM
// block in data: public keys (PKIX or PKCS#1), the public half of private
// keys (PKCS#1, SEC 1, PKCS#8) and of certificates. Other blocks are
// skipped; no key at all is an error.
func ParsePublicKeysPEM(data []byte) ([]crypto.PublicKey, error) {
	var keys []crypto.PublicKey
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if k := publicKeyOfBlock(block.Bytes); k != nil {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("data does not contain any valid RSA or ECDSA public keys")
	}
	return keys, nil
}

func publicKeyOfBlock(der []byte) crypto.PublicKey {
	if k, err := parsePrivateKeyDER(der); err == nil {
		return k.Public()
	}
	if k, err := x509.ParsePKIXPublicKey(der); err == nil {
		switch k := k.(type) {
		case *rsa.PublicKey, *ecdsa.PublicKey:
			return k
		}
	}
	if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return k
	}
	if c, err := x509.ParseCertificate(der); err == nil {
		switch k := c.PublicKey.(type) {
		case *rsa.PublicKey, *ecdsa.PublicKey:
			return k
		}
	}
	return nil
}

// LoadPrivateKey reads --service-account-signing-key-file (see
// ParsePrivateKeyPEM).
func LoadPrivateKey(path string) (crypto.Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("service account signing key file: %w", err)
	}
	k, err := ParsePrivateKeyPEM(data)
	if err != nil {
		return nil, fmt.Errorf("service account signing key file %q: %w", path, err)
	}
	return k, nil
}

// ParsePrivateKeyPEM returns the first RSA or ECDSA private key in data
// (PKCS#1, SEC 1 or PKCS#8).
func ParsePrivateKeyPEM(data []byte) (crypto.Signer, error) {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return nil, errors.New("data does not contain a valid RSA or ECDSA private key")
		}
		if k, err := parsePrivateKeyDER(block.Bytes); err == nil {
			return k, nil
		}
	}
}

func parsePrivateKeyDER(der []byte) (crypto.Signer, error) {
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, err
	}
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	}
	return nil, fmt.Errorf("unsupported private key type %T", k)
}

// KeyID is upstream's key id of a public key: the unpadded base64url of the
// SHA-256 of its PKIX DER encoding. Tokens carry it as their "kid" header.
func KeyID(pub crypto.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("key id: %w", err)
	}
	sum := sha256.Sum256(der)
	return base64.RawURLEncoding.EncodeToString(sum[:]), nil
}

// signingAlgorithm is the JWS algorithm upstream signs with for key: RS256
// for RSA, ES256/384/512 by ECDSA curve.
func signingAlgorithm(pub crypto.PublicKey) (jose.SignatureAlgorithm, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return jose.RS256, nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return jose.ES256, nil
		case elliptic.P384():
			return jose.ES384, nil
		case elliptic.P521():
			return jose.ES512, nil
		}
		return "", fmt.Errorf("unsupported ECDSA curve %s", k.Curve.Params().Name)
	}
	return "", fmt.Errorf("unsupported key type %T", pub)
}

// acceptedAlgorithms are those a token may be signed with.
var acceptedAlgorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512,
}
