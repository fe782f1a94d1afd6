package fakeapi

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Many clients write while two watchers read: every watcher sees every
// change once, in revision order, and the revisions have no gaps.
func TestConcurrentClients(t *testing.T) {
	srv := New(t)
	start := srv.Revision()
	from := strconv.FormatInt(start, 10)
	watchers := []*watchStream{
		openWatch(t, srv, "/api/v1/configmaps?watch=1&resourceVersion="+from),
		openWatch(t, srv, "/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=1&resourceVersion="+from),
	}
	const writers, objects = 6, 8
	client := srv.Client()
	send := func(method, path, body string) error {
		req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
		return nil
	}
	var wg sync.WaitGroup
	for g := 0; g < writers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < objects; i++ {
				name := fmt.Sprintf("cm-%d-%d", g, i)
				path := "/api/v1/namespaces/default/configmaps"
				for _, step := range []struct{ method, path, body string }{
					{http.MethodPost, path, `{"metadata":{"name":"` + name + `"}}`},
					{http.MethodPut, path + "/" + name, `{"metadata":{"name":"` + name + `"},"data":{"k":"v"}}`},
					{http.MethodDelete, path + "/" + name, ""},
				} {
					if err := send(step.method, step.path, step.body); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	srv.SendBookmarks()
	wg.Wait()
	total := writers * objects * 3
	if got := srv.Revision() - start; got != int64(total) {
		t.Fatalf("%d revisions for %d writes", got, total)
	}
	for i, ws := range watchers {
		last := start
		for n := 0; n < total; n++ {
			ev := ws.nextNonBookmark()
			rv, _ := strconv.ParseInt(rvOf(ev.Object), 10, 64)
			if rv != last+1 {
				t.Fatalf("watcher %d: event %d at revision %d after %d", i, n, rv, last)
			}
			last = rv
		}
	}
}
