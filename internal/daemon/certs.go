package daemon

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// selfSignedValidity is how long a generated serving certificate is valid.
const selfSignedValidity = 365 * 24 * time.Hour

// certNames are the names a self-signed serving certificate is made for.
type certNames struct {
	host string // the host name: the certificate's subject
	dns  []string
	ips  []net.IP
}

// loadOrGenerateCert returns the pair certDir/pairName.{crt,key} if it loads
// and has not expired; else it generates a self-signed pair for names and,
// when certDir is not empty, writes it there for the next start. With an
// empty certDir the pair lives in memory only.
func loadOrGenerateCert(certDir, pairName string, names certNames, now time.Time) (tls.Certificate, error) {
	var certPath, keyPath string
	if certDir != "" {
		certPath = filepath.Join(certDir, pairName+".crt")
		keyPath = filepath.Join(certDir, pairName+".key")
		if cert, err := tls.LoadX509KeyPair(certPath, keyPath); err == nil && cert.Leaf != nil && now.Before(cert.Leaf.NotAfter) {
			return cert, nil
		}
	}
	certPEM, keyPEM, err := generateSelfSigned(names, now)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("generate self-signed certificate for %s: %w", names.host, err)
	}
	if certDir != "" {
		if err := os.MkdirAll(certDir, 0o755); err != nil {
			return tls.Certificate{}, fmt.Errorf("cert dir: %w", err)
		}
		if err := writeFileAtomic(certPath, certPEM, 0o644); err != nil {
			return tls.Certificate{}, err
		}
		if err := writeFileAtomic(keyPath, keyPEM, 0o600); err != nil {
			return tls.Certificate{}, err
		}
	}
	return tls.X509KeyPair(certPEM, keyPEM)
}

// generateSelfSigned makes a throw-away CA and a serving certificate it
// signs for names, as upstream does, and returns the serving certificate
// followed by the CA's (so clients can pin the CA) and the serving key.
func generateSelfSigned(names certNames, now time.Time) (certPEM, keyPEM []byte, err error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	caSerial, err := serial()
	if err != nil {
		return nil, nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          caSerial,
		Subject:               pkix.Name{CommonName: fmt.Sprintf("%s-ca@%d", names.host, now.Unix())},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(selfSignedValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	leafSerial, err := serial()
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          leafSerial,
		Subject:               pkix.Name{CommonName: fmt.Sprintf("%s@%d", names.host, now.Unix())},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(selfSignedValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              names.dns,
		IPAddresses:           names.ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	var certs bytes.Buffer
	_ = pem.Encode(&certs, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	_ = pem.Encode(&certs, &pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return certs.Bytes(), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

// serial returns a random 127-bit serial number.
func serial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
}

// hostCertNames returns the host's name, localhost, the loopback addresses
// and bind (unless it is unspecified): the names clients on the host and
// probes use.
func hostCertNames(bind net.IP) certNames {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	n := certNames{host: host, dns: []string{host}, ips: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}}
	if host != "localhost" {
		n.dns = append(n.dns, "localhost")
	}
	if bind != nil && !bind.IsUnspecified() && !bind.IsLoopback() {
		n.ips = append(n.ips, bind)
	}
	return n
}

func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
