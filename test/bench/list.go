package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"k8s.io/client-go/kubernetes"
)

// listRounds is how many timed LISTs of each kind the list scenario makes.
const listRounds = 100

// listKinds are the two ways of listing: a consistent read (resourceVersion
// unset, served at etcd's current revision) and resourceVersion "0" (any
// recent state, upstream's watch cache).
var listKinds = []struct {
	name            string // the metric prefix
	resourceVersion string
}{
	{"list", ""},
	{"list-rv0", "0"},
}

// listPods makes one full JSON LIST of the bench namespace's pods and
// returns the body. Its latency runs from sending the request to having
// read the whole body; the client does not decode it.
func listPods(ctx context.Context, c kubernetes.Interface, resourceVersion string) ([]byte, error) {
	req := c.CoreV1().RESTClient().Get().Namespace(namespace).Resource("pods")
	if resourceVersion != "" {
		req = req.Param("resourceVersion", resourceVersion)
	}
	body, err := req.DoRaw(ctx)
	if err != nil {
		return nil, fmt.Errorf("list pods in %s (resourceVersion %q): %w", namespace, resourceVersion, err)
	}
	return body, nil
}

// checkList decodes one list body and makes sure it is a complete PodList.
func checkList(body []byte, want int) error {
	var list struct {
		Kind     string `json:"kind"`
		Metadata struct {
			ResourceVersion string `json:"resourceVersion"`
			Continue        string `json:"continue"`
		} `json:"metadata"`
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return fmt.Errorf("decode pod list: %w", err)
	}
	switch {
	case list.Kind != "PodList":
		return fmt.Errorf("list kind %q, want PodList", list.Kind)
	case len(list.Items) != want:
		return fmt.Errorf("list has %d pods, want %d", len(list.Items), want)
	case list.Metadata.ResourceVersion == "" || list.Metadata.Continue != "":
		return fmt.Errorf("list metadata %+v, want a resourceVersion and no continue token", list.Metadata)
	}
	return nil
}

// listTimes makes one untimed LIST of each kind to check it returns all
// want pods, then rounds timed LISTs of each kind, one at a time, and
// returns their latencies by kind name.
func listTimes(ctx context.Context, c kubernetes.Interface, want, rounds int) (map[string]latencies, error) {
	out := map[string]latencies{}
	for _, k := range listKinds {
		body, err := listPods(ctx, c, k.resourceVersion)
		if err != nil {
			return nil, err
		}
		if err := checkList(body, want); err != nil {
			return nil, fmt.Errorf("%s: %w", k.name, err)
		}
		for range rounds {
			t0 := time.Now()
			if _, err := listPods(ctx, c, k.resourceVersion); err != nil {
				return nil, err
			}
			out[k.name] = append(out[k.name], time.Since(t0))
		}
	}
	return out, nil
}
