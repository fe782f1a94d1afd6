package discovery

import (
	"mime"
	"sort"
	"strconv"
	"strings"
)

// format is a discovery document's encoding chosen from a request's Accept.
type format int

const (
	formatNone       format = iota // nothing acceptable: 406
	formatLegacy                   // application/json, metav1 shapes
	formatAggregated               // apidiscovery.k8s.io/v2
	formatAggregatedV2Beta1
)

// Content types of the aggregated documents, as upstream sends them.
const (
	contentTypeJSON              = "application/json"
	contentTypeAggregated        = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
	contentTypeAggregatedV2Beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"
)

type acceptClause struct {
	mediaType string // "application/json", "*/*"
	params    map[string]string
	q         float64
}

// parseAccept splits an Accept header into clauses, highest quality first
// and in the client's order among equals. Malformed clauses are dropped.
func parseAccept(header string) []acceptClause {
	if strings.TrimSpace(header) == "" {
		return []acceptClause{{mediaType: "*/*", q: 1}}
	}
	var out []acceptClause
	for _, part := range strings.Split(header, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		c := acceptClause{mediaType: mt, params: params, q: 1}
		if qs, ok := params["q"]; ok {
			q, err := strconv.ParseFloat(qs, 64)
			if err != nil || q < 0 || q > 1 {
				continue
			}
			c.q = q
			delete(params, "q")
		}
		if c.q > 0 {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].q > out[j].q })
	return out
}

// negotiate picks the format of the first acceptable clause. aggregated
// says whether the endpoint (/api, /apis) offers aggregated discovery.
func negotiate(header string, aggregated bool) format {
	for _, c := range parseAccept(header) {
		switch c.mediaType {
		case "application/json", "application/*", "*/*":
		default:
			continue
		}
		g, v, as := c.params["g"], c.params["v"], c.params["as"]
		if g == "" && v == "" && as == "" {
			return formatLegacy
		}
		if !aggregated || g != "apidiscovery.k8s.io" || as != "APIGroupDiscoveryList" {
			continue
		}
		switch v {
		case "v2":
			return formatAggregated
		case "v2beta1":
			return formatAggregatedV2Beta1
		}
	}
	return formatNone
}
