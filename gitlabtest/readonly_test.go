package gitlabtest_test

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

// TestServerGETRoutesOnlyRead calls every GET route from 16 goroutines at
// once, as the administrator, as a user and anonymously, against a store
// with keys, emails, follows, a status and custom attributes. GET
// handlers run under the store's read lock, several at once: run with
// -race, this test finds one that changes the store. It checks only that
// nothing answers 500 (but an anonymous project_deploy_keys, as on
// GitLab).
func TestServerGETRoutesOnlyRead(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	ids := s.GenerateUsers(50)
	uid, tok := s.CreateUser(gitlabtest.UserSpec{Username: "reader", CustomAttributes: map[string]string{"k": "v"}})
	s.AddSSHKey(uid, "laptop", gitlabtest.FakeSSHKey("reader"))
	s.AddGPGKey(uid, gitlabtest.FakeGPGKey("reader"))
	s.AddEmail(uid, "reader2@example.com", true)
	s.Follow(uid, ids[0])
	s.Follow(ids[1], uid)
	s.SetStatus(uid, gitlabtest.StatusSpec{Message: "reading"})
	vars := map[string]string{":id": strconv.FormatInt(uid, 10), ":user_id": "reader", ":key_id": "1", ":token_id": "1",
		":email_id": "1", ":key": "k", ":ref": "1", ":provider": "github"}
	var paths []string
	for _, k := range gitlabtest.RouteKeys() {
		method, pattern, _ := strings.Cut(k, " ")
		if method != http.MethodGet {
			continue
		}
		segs := strings.Split(pattern, "/")
		for i, seg := range segs {
			if v, ok := vars[seg]; ok {
				segs[i] = v
			}
		}
		paths = append(paths, strings.Join(segs, "/"))
	}
	paths = append(paths, "/users?search=user1", "/users?order_by=name&sort=asc", "/users?pagination=keyset&per_page=5",
		"/users?page=2&per_page=5", "/users?username=reader", "/keys?fingerprint=SHA256:AAAA", "/user/activities")

	var (
		wg   sync.WaitGroup
		okMu sync.Mutex
		ok   = map[string]bool{} // paths answered 2xx to the administrator
	)
	errs := make(chan error, 16)
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			token := []string{s.AdminToken(), tok, ""}[w%3]
			for range 3 {
				for _, p := range paths {
					req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/v4"+p, nil)
					if token != "" {
						req.Header.Set("PRIVATE-TOKEN", token)
					}
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						errs <- err
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if w%3 == 0 && resp.StatusCode < 300 {
						okMu.Lock()
						ok[p] = true
						okMu.Unlock()
					}
					// GitLab's project_deploy_keys fails (500) for
					// an anonymous caller: the fake does as it does.
					anonymousDeployKeys := token == "" && strings.HasSuffix(p, "/project_deploy_keys")
					if resp.StatusCode >= 500 && !anonymousDeployKeys {
						errs <- fmt.Errorf("GET %s: %d", p, resp.StatusCode)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, p := range paths {
		if !ok[p] {
			t.Logf("not answered 2xx to the administrator: GET %s", p)
		}
	}
}
