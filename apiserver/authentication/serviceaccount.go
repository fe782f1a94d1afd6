package authentication

import (
	"fmt"
	"strings"

	"github.com/go-jose/go-jose/v4/jwt"
)

// Service-account names (upstream's serviceaccount package).
const (
	ServiceAccountUsernamePrefix = "system:serviceaccount:"
	AllServiceAccountsGroup      = "system:serviceaccounts"
	ServiceAccountGroupPrefix    = "system:serviceaccounts:"

	// LegacyIssuer is the issuer of the tokens kept in Secrets of type
	// kubernetes.io/service-account-token.
	LegacyIssuer = "kubernetes/serviceaccount"

	// Extra keys of a service account's user.
	ExtraPodName      = "authentication.kubernetes.io/pod-name"
	ExtraPodUID       = "authentication.kubernetes.io/pod-uid"
	ExtraNodeName     = "authentication.kubernetes.io/node-name"
	ExtraNodeUID      = "authentication.kubernetes.io/node-uid"
	ExtraCredentialID = "authentication.kubernetes.io/credential-id"
)

// ServiceAccountUsername is "system:serviceaccount:<namespace>:<name>".
func ServiceAccountUsername(namespace, name string) string {
	return ServiceAccountUsernamePrefix + namespace + ":" + name
}

// ServiceAccountGroups are the groups of every service account of namespace.
func ServiceAccountGroups(namespace string) []string {
	return []string{AllServiceAccountsGroup, ServiceAccountGroupPrefix + namespace}
}

// SplitServiceAccountUsername returns the namespace and name of a service
// account's user name.
func SplitServiceAccountUsername(username string) (namespace, name string, err error) {
	if !strings.HasPrefix(username, ServiceAccountUsernamePrefix) {
		return "", "", fmt.Errorf("username %q is not a service account username", username)
	}
	parts := strings.Split(strings.TrimPrefix(username, ServiceAccountUsernamePrefix), ":")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", "", fmt.Errorf("username %q is not a valid service account username", username)
	}
	return parts[0], parts[1], nil
}

// MatchesServiceAccount says whether username is the service account
// namespace/name, without allocating.
func MatchesServiceAccount(namespace, name, username string) bool {
	if !strings.HasPrefix(username, ServiceAccountUsernamePrefix) {
		return false
	}
	rest := username[len(ServiceAccountUsernamePrefix):]
	return len(rest) == len(namespace)+1+len(name) &&
		strings.HasPrefix(rest, namespace) && rest[len(namespace)] == ':' && strings.HasSuffix(rest, name)
}

// ref names an object a token is bound to.
type ref struct {
	Name string `json:"name,omitempty"`
	UID  string `json:"uid,omitempty"`
}

// kubernetesClaims is the "kubernetes.io" claim of a bound token.
type kubernetesClaims struct {
	Namespace      string           `json:"namespace,omitempty"`
	ServiceAccount ref              `json:"serviceaccount,omitempty"`
	Pod            *ref             `json:"pod,omitempty"`
	Secret         *ref             `json:"secret,omitempty"`
	Node           *ref             `json:"node,omitempty"`
	WarnAfter      *jwt.NumericDate `json:"warnafter,omitempty"`
}

// boundClaims is the whole claim set of a bound token as issued; aud is
// always a list, as upstream writes it.
type boundClaims struct {
	Issuer     string           `json:"iss"`
	Subject    string           `json:"sub"`
	Audience   []string         `json:"aud"`
	Expiry     *jwt.NumericDate `json:"exp"`
	IssuedAt   *jwt.NumericDate `json:"iat"`
	NotBefore  *jwt.NumericDate `json:"nbf"`
	ID         string           `json:"jti,omitempty"`
	Kubernetes kubernetesClaims `json:"kubernetes.io"`
}

// privateClaims is what a verified token's non-registered claims decode to.
type privateClaims struct {
	Kubernetes *kubernetesClaims `json:"kubernetes.io,omitempty"`

	// legacy (Secret) tokens
	LegacyNamespace   string `json:"kubernetes.io/serviceaccount/namespace"`
	LegacySecretName  string `json:"kubernetes.io/serviceaccount/secret.name"`
	LegacyServiceName string `json:"kubernetes.io/serviceaccount/service-account.name"`
	LegacyServiceUID  string `json:"kubernetes.io/serviceaccount/service-account.uid"`
}
