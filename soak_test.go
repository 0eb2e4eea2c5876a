package gitlab_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// soakLong selects the long fault soak: go test -run TestSoak -soak .
// (or GITLAB_SOAK=1). Without it the short soak runs, always.
var soakLong = flag.Bool("soak", false, "run the long fault soak (5,000 operations)")

// Soak sizes. The short soak is part of every go test run.
const (
	soakGoroutines = 8
	soakShortOps   = 500
	soakLongOps    = 5000
	// soakFaultShare is the share of requests answered 429, 500, 502,
	// 503 or dropped: soak429Share by the client-side rate limiter below,
	// the rest by gitlabtest's fault injection.
	soakFaultShare = 0.20
	soak429Share   = 0.04
	// soakRetryMax is the retry budget. An idempotent call fails only if
	// all soakRetryMax+1 attempts fail: 0.2^9 ≈ 5e-7 per call.
	soakRetryMax = 8
)

// soakLimiter is a RoundTripper standing for a rate limiter in front of
// GitLab: it answers a share of requests 429 without passing them on
// (gitlabtest's own limiter works in whole-second windows, too slow for
// a soak). Such a request is certainly not applied. Most 429s say
// Retry-After: 0 and are retried; a third of those to POST .../keys,
// .../emails, .../impersonation_tokens and /users ask for an hour, more
// than the client may wait, so the caller gets ErrRateLimited: a write
// reported as not applied, which the soak checks is absent.
//
// Which requests it answers is decided by the request itself (method,
// URL, body, and how many times the same request came before), never by
// the order in which goroutines reach it: each worker's operations are
// fixed by its seed, so the same creates meet the same 429s in every run.
type soakLimiter struct {
	next  http.RoundTripper
	share float64
	mu    sync.Mutex
	seen  map[string]uint64
	count atomic.Int64 // 429s answered
	long  atomic.Int64 // of them, asking for an hour
}

// draw returns the random source for r, seeded by what r is.
func (l *soakLimiter) draw(r *http.Request) *rand.Rand {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		_ = r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	key := r.Method + " " + r.URL.RequestURI() + "\n" + string(body) // not the host: its port changes
	l.mu.Lock()
	n := l.seen[key]
	l.seen[key]++
	l.mu.Unlock()
	h := fnv.New64a()
	_, _ = h.Write([]byte(key))
	return rand.New(rand.NewPCG(h.Sum64(), n))
}

func (l *soakLimiter) RoundTrip(r *http.Request) (*http.Response, error) {
	rng := l.draw(r)
	l.mu.Lock()
	share := l.share
	l.mu.Unlock()
	if rng.Float64() >= share {
		return l.next.RoundTrip(r)
	}
	l.count.Add(1)
	if r.Body != nil {
		_ = r.Body.Close()
	}
	retryAfter := "0"
	if r.Method == http.MethodPost && soakIsCreate(r.URL.Path) && rng.IntN(3) == 0 {
		retryAfter = "3600"
		l.long.Add(1)
	}
	body := `{"message":{"error":"This endpoint has been requested too many times. Try again later."}}`
	return &http.Response{
		StatusCode: http.StatusTooManyRequests, Status: "429 Too Many Requests",
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Retry-After": {retryAfter}, "Content-Type": {"application/json"}},
		Body:    io.NopCloser(strings.NewReader(body)),
		Request: r, ContentLength: int64(len(body)),
	}, nil
}

// soakIsCreate reports whether path is one of the soak's creates.
func soakIsCreate(path string) bool {
	for _, suffix := range []string{"/keys", "/emails", "/impersonation_tokens", "/api/v4/users"} {
		if strings.HasSuffix(path, suffix) {
			return true
		}
	}
	return false
}

// soakOutcome is what the caller was told about a write.
type soakOutcome int

const (
	soakOK soakOutcome = iota
	// soakNotApplied: the error says the write was not applied (a 4xx,
	// including 429): it must not be in the server's state.
	soakNotApplied
	// soakAmbiguous: the error leaves it open (a 5xx, a dropped
	// connection): the caller was told it may have been applied.
	soakAmbiguous
)

// soakClassify reads an error the way doc.go ("Retries and rate
// limits") tells callers to: an *ErrorResponse below 500 (429 included)
// means GitLab did not apply the request; a 5xx, a transport error or
// an unreadable 2xx answer means it may have.
func soakClassify(err error) soakOutcome {
	if err == nil {
		return soakOK
	}
	if errors.Is(err, gitlab.ErrInvalidArgument) {
		return soakNotApplied
	}
	var er *gitlab.ErrorResponse
	if errors.As(err, &er) && er.StatusCode < 500 {
		return soakNotApplied
	}
	return soakAmbiguous
}

// soakWrite is one non-idempotent create and what its caller was told.
type soakWrite struct {
	kind    string // user, key, email, token
	userID  int64  // owner (keys, emails, tokens)
	name    string // username, key title, address, token name
	outcome soakOutcome
	err     error
}

// soakWorker is one goroutine's own users and its record of calls.
type soakWorker struct {
	id      int
	users   []int64 // users this worker updates and owns keys of
	targets []int64 // users this worker follows and unfollows (as root)
	rng     *rand.Rand

	writes      []soakWrite
	keys        map[int64][]int64 // live keys per user, created with success
	keyTitle    map[int64]string  // title of each key created with success
	deletedKeys map[string]bool   // titles of keys deleted with success
	lastBio     map[int64]string  // last bio set with success
	following   map[int64]bool    // expected follow state after the last success
	idemFails   []string          // idempotent calls that failed after all retries
	delete404   int               // deletes answered 404 after an earlier attempt applied them
	ops         map[string]int
}

func soakOps(t *testing.T) int {
	if *soakLong || os.Getenv("GITLAB_SOAK") != "" {
		return soakLongOps
	}
	return soakShortOps
}

// TestSoakFaults runs mixed operations from 8 goroutines against
// gitlabtest with 20 % of requests failing, then compares the server's
// state with what each caller was told:
//   - no write is applied twice (each create has a unique name; a
//     duplicate would show as two entries or as a 409 on a retry);
//   - a write reported as not applied (4xx, 429) is absent;
//   - a write reported as applied is present;
//   - a write reported ambiguously (5xx, dropped connection) may be
//     either, and the counts are logged;
//   - every idempotent call (GET, PUT, DELETE, follow, unfollow)
//     succeeded within the retry budget;
//   - the run ends within a bound.
func TestSoakFaults(t *testing.T) {
	total := soakOps(t)
	bound := 30 * time.Second
	if total > soakShortOps {
		bound = 5 * time.Minute
	}

	srv := gitlabtest.NewServer()
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: soakGoroutines * 2}
	defer tr.CloseIdleConnections()
	limiter := &soakLimiter{next: tr, seen: map[string]uint64{}}
	client := srv.Client(
		gitlab.WithHTTPClient(&http.Client{Transport: limiter}),
		gitlab.WithRetryMax(soakRetryMax),
		gitlab.WithRetryWait(time.Millisecond, 10*time.Millisecond),
	)

	// Seed without faults: each worker owns 3 users and 3 follow targets.
	workers := make([]*soakWorker, soakGoroutines)
	for i := range workers {
		w := &soakWorker{
			id: i, rng: rand.New(rand.NewPCG(uint64(i), 99)),
			keys: map[int64][]int64{}, keyTitle: map[int64]string{}, deletedKeys: map[string]bool{},
			lastBio: map[int64]string{}, following: map[int64]bool{}, ops: map[string]int{},
		}
		for j := range 3 {
			id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: fmt.Sprintf("owner-%d-%d", i, j)})
			w.users = append(w.users, id)
			tid, _ := srv.CreateUser(gitlabtest.UserSpec{Username: fmt.Sprintf("target-%d-%d", i, j)})
			w.targets = append(w.targets, tid)
		}
		workers[i] = w
	}

	// 20 % of requests fail: soak429Share as 429 before the server, the
	// rest as gitlabtest faults of every kind (before and after apply).
	serverShare := (soakFaultShare - soak429Share) / (1 - soak429Share)
	srv.Configure(gitlabtest.WithFaults(serverShare, 2024,
		gitlabtest.FaultStatus500, gitlabtest.FaultStatus502, gitlabtest.FaultStatus503,
		gitlabtest.FaultDrop, gitlabtest.FaultDropAfterApply, gitlabtest.FaultStatus502AfterApply))
	srv.ResetCounters()
	limiter.mu.Lock()
	limiter.share = soak429Share
	limiter.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range total / soakGoroutines {
				w.step(ctx, client, n)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if elapsed > bound {
		t.Fatalf("soak took %v, bound %v", elapsed, bound)
	}
	if ctx.Err() != nil {
		t.Fatalf("soak hit its %v bound", bound)
	}

	// Nothing more may change the state: read it back without faults.
	srv.Configure(gitlabtest.WithFaults(0, 0))
	requests := srv.RequestCount()
	faults := srv.FaultCount()
	afterApply := srv.FaultCount(gitlabtest.FaultDropAfterApply, gitlabtest.FaultStatus502AfterApply)

	var (
		ok, notApplied, ambiguous, ambiguousApplied int
		idemFails                                   []string
		delete404                                   int
		ops                                         = map[string]int{}
	)
	following := srv.Following(1)
	for _, w := range workers {
		idemFails = append(idemFails, w.idemFails...)
		delete404 += w.delete404
		for k, v := range w.ops {
			ops[k] += v
		}
		for _, uid := range w.users {
			u, found := srv.User(uid)
			if !found {
				t.Errorf("worker %d: user %d vanished", w.id, uid)
				continue
			}
			if want, set := w.lastBio[uid]; set && u.Bio != want {
				t.Errorf("user %d: bio %q, the last successful update set %q", uid, u.Bio, want)
			}
		}
		for tid, want := range w.following {
			if got := slices.Contains(following, tid); got != want {
				t.Errorf("root follows %d: %v, the last successful call said %v", tid, got, want)
			}
		}
		for _, wr := range w.writes {
			n := soakCount(srv, wr)
			if wr.kind == "key" && w.deletedKeys[wr.name] {
				continue // created, then deleted with success
			}
			switch {
			case n > 1:
				t.Errorf("%s %q applied %d times (told: %v)", wr.kind, wr.name, n, wr.err)
			case wr.outcome == soakOK && n != 1:
				t.Errorf("%s %q reported created but not on the server", wr.kind, wr.name)
			case wr.outcome == soakNotApplied && n != 0:
				t.Errorf("%s %q reported as not applied (%v) but applied", wr.kind, wr.name, wr.err)
			}
			switch wr.outcome {
			case soakOK:
				ok++
			case soakNotApplied:
				notApplied++
			case soakAmbiguous:
				ambiguous++
				ambiguousApplied += n
			}
		}
	}
	if len(idemFails) > 0 {
		t.Errorf("%d idempotent calls failed within the retry budget of %d, e.g. %s", len(idemFails), soakRetryMax, idemFails[0])
	}

	t.Logf("soak: %d ops from %d goroutines in %v; %d requests reached the server, %d faults injected there (%d after applying), %d answered 429 before it (%d asking for an hour)",
		total, soakGoroutines, elapsed.Round(time.Millisecond), requests, faults, afterApply, limiter.count.Load(), limiter.long.Load())
	t.Logf("soak: ops %v", ops)
	t.Logf("soak: creates: %d succeeded, %d reported not applied (all absent), %d ambiguous (%d of them applied); %d deletes answered 404 after an earlier attempt applied them",
		ok, notApplied, ambiguous, ambiguousApplied, delete404)

	// The faults really happened, at roughly the configured share.
	attempts := float64(requests) + float64(limiter.count.Load())
	share := (float64(faults) + float64(limiter.count.Load())) / attempts
	if faults == 0 || limiter.count.Load() == 0 || share < soakFaultShare/2 || share > soakFaultShare*1.5 {
		t.Errorf("fault share %.3f (%d server faults, %d 429s over %.0f attempts), want about %.2f", share, faults, limiter.count.Load(), attempts, soakFaultShare)
	}
	if long := limiter.long.Load(); long == 0 || int64(notApplied) < long {
		t.Errorf("%d creates were answered 429 asking for an hour, %d reported as not applied: each of those must be", long, notApplied)
	}
	if ok == 0 || ambiguous == 0 || notApplied == 0 || afterApply == 0 {
		t.Errorf("the soak exercised too little: %d successful, %d not applied and %d ambiguous creates, %d faults after applying",
			ok, notApplied, ambiguous, afterApply)
	}
}

// soakCount counts how many times a create shows in the server's state.
func soakCount(srv *gitlabtest.Server, wr soakWrite) int {
	n := 0
	switch wr.kind {
	case "user":
		if _, ok := srv.UserByUsername(wr.name); ok {
			n = 1
		}
	case "key":
		for _, k := range srv.SSHKeys(wr.userID) {
			if k.Title == wr.name {
				n++
			}
		}
	case "email":
		for _, e := range srv.Emails(wr.userID) {
			if e.Email == wr.name {
				n++
			}
		}
	case "token":
		for _, tk := range srv.ImpersonationTokens(wr.userID) {
			if tk.Name == wr.name {
				n++
			}
		}
	}
	return n
}

// step runs one random operation.
func (w *soakWorker) step(ctx context.Context, c *gitlab.Client, n int) {
	uid := w.users[w.rng.IntN(len(w.users))]
	name := fmt.Sprintf("soak-%d-%d", w.id, n)
	idem := func(op string, err error) {
		if err != nil {
			w.idemFails = append(w.idemFails, fmt.Sprintf("%s: %v", op, err))
		}
	}
	write := func(kind string, owner int64, name string, err error) {
		w.writes = append(w.writes, soakWrite{kind: kind, userID: owner, name: name, outcome: soakClassify(err), err: err})
	}
	r := w.rng.IntN(100)
	var op string
	switch {
	case r < 10:
		op = "create user"
		_, _, err := c.Users.Create(ctx, &gitlab.CreateUserOptions{
			Username: gitlab.Ptr(name), Name: gitlab.Ptr(name), Email: gitlab.Ptr(name + "@example.com"),
			Password: gitlab.Ptr("correct-horse-battery"), SkipConfirmation: gitlab.Ptr(true),
		})
		write("user", 0, name, err)
	case r < 24:
		op = "update user"
		_, _, err := c.Users.Update(ctx, uid, &gitlab.UpdateUserOptions{Bio: gitlab.Ptr(name)})
		if err == nil {
			w.lastBio[uid] = name
		}
		idem(op, err)
	case r < 36:
		op = "get user"
		u, _, err := c.Users.Get(ctx, uid, nil)
		if err == nil && u.ID != uid {
			err = fmt.Errorf("got user %d", u.ID)
		}
		idem(op, err)
	case r < 44:
		op = "list users"
		_, _, err := c.Users.List(ctx, &gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 20, Page: 1 + w.rng.IntN(3)}})
		idem(op, err)
	case r < 48:
		op = "iterate keys"
		for _, err := range c.SSHKeys.ListForUserIter(ctx, gitlab.UserID(uid), &gitlab.ListOptions{PerPage: 2}) {
			idem(op, err)
		}
	case r < 56:
		op = "follow"
		tid := w.targets[w.rng.IntN(len(w.targets))]
		_, _, err := c.Follows.Follow(ctx, tid)
		if err == nil {
			w.following[tid] = true
		}
		idem(op, err)
	case r < 63:
		op = "unfollow"
		tid := w.targets[w.rng.IntN(len(w.targets))]
		_, _, err := c.Follows.Unfollow(ctx, tid)
		if err == nil {
			w.following[tid] = false
		}
		idem(op, err)
	case r < 75:
		op = "create key"
		k, _, err := c.SSHKeys.CreateForUser(ctx, uid, &gitlab.CreateSSHKeyOptions{Title: gitlab.Ptr(name), Key: gitlab.Ptr(gitlabtest.FakeSSHKey(name))})
		if err == nil {
			w.keys[uid] = append(w.keys[uid], k.ID)
			w.keyTitle[k.ID] = name
		}
		write("key", uid, name, err)
	case r < 82:
		op = "delete key"
		keys := w.keys[uid]
		if len(keys) == 0 {
			break
		}
		kid := keys[0]
		_, err := c.SSHKeys.DeleteForUser(ctx, uid, kid)
		if errors.Is(err, gitlab.ErrNotFound) {
			// A retried DELETE whose earlier attempt was applied (and
			// its answer lost) finds nothing left to delete.
			w.delete404++
			err = nil
		}
		if err == nil {
			w.keys[uid] = keys[1:]
			w.deletedKeys[w.keyTitle[kid]] = true
		}
		idem(op, err)
	case r < 90:
		op = "create email"
		addr := name + "@mail.example.com"
		_, _, err := c.Emails.CreateForUser(ctx, uid, &gitlab.CreateEmailOptions{Email: gitlab.Ptr(addr), SkipConfirmation: gitlab.Ptr(true)})
		write("email", uid, addr, err)
	default:
		op = "create token"
		exp := time.Now().AddDate(0, 1, 0)
		_, _, err := c.ImpersonationTokens.Create(ctx, uid, &gitlab.CreateImpersonationTokenOptions{
			Name: gitlab.Ptr(name), Scopes: []string{gitlab.ScopeReadUser},
			ExpiresAt: gitlab.Ptr(gitlab.NewISODate(exp.Year(), exp.Month(), exp.Day())),
		})
		write("token", uid, name, err)
	}
	w.ops[op]++
}
