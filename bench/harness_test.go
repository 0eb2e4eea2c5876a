package bench

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// ---- canned answers, served over loopback or by an in-memory transport

// canned is one fixed answer.
type canned struct {
	status int
	body   []byte
	header http.Header // shared; copied (shallowly) into every response
}

func jsonAnswer(status int, body []byte) *canned {
	return &canned{status: status, body: body, header: http.Header{
		"Content-Type":   {"application/json"},
		"Content-Length": {strconv.Itoa(len(body))},
	}}
}

// listAnswer is a one-page list answer with GitLab's offset pagination
// headers (https://docs.gitlab.com/api/rest/#pagination-link-header): page 1 of 1.
func listAnswer(base string, body []byte, n int) *canned {
	c := jsonAnswer(http.StatusOK, body)
	first := base + "/api/v4/users?page=1&per_page=100"
	c.header["X-Total"] = []string{strconv.Itoa(n)}
	c.header["X-Total-Pages"] = []string{"1"}
	c.header["X-Page"] = []string{"1"}
	c.header["X-Per-Page"] = []string{"100"}
	c.header["X-Next-Page"] = []string{""}
	c.header["X-Prev-Page"] = []string{""}
	c.header["Link"] = []string{`<` + first + `>; rel="first", <` + first + `>; rel="last"`}
	return c
}

// route picks the answer for a request path.
type route func(r *http.Request) *canned

func (a *canned) write(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// memTransport is an http.RoundTripper that answers from memory: no
// sockets, no server; every response is freshly allocated, as a real
// transport's would be.
type memTransport struct{ route route }

func (t *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	a := t.route(req)
	h := make(http.Header, len(a.header))
	for k, v := range a.header {
		h[k] = v
	}
	return &http.Response{
		Status:        strconv.Itoa(a.status) + " " + http.StatusText(a.status),
		StatusCode:    a.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(a.body)),
		ContentLength: int64(len(a.body)),
		Request:       req,
	}, nil
}

// server is an httptest server that counts the TCP connections it accepts.
type server struct {
	*httptest.Server
	conns atomic.Int64
}

func newServer(tb testing.TB, h http.HandlerFunc) *server {
	s := &server{Server: httptest.NewUnstartedServer(h)}
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Config.ErrorLog = nil
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

func routeServer(tb testing.TB, rt func(base string) route) *server {
	var r route
	s := newServer(tb, func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		r(req).write(w)
	})
	r = rt(s.URL)
	return s
}

// ---- the answers of the scenarios

// getUserRoute answers GET /api/v4/users/1 with the admin user and
// anything else with 404 User Not Found.
func getUserRoute(string) route {
	ok := jsonAnswer(http.StatusOK, userBody)
	nf := jsonAnswer(http.StatusNotFound, notFound)
	return func(r *http.Request) *canned {
		if r.URL.Path == "/api/v4/users/1" {
			return ok
		}
		return nf
	}
}

// listUsersRoute answers GET /api/v4/users with 100 admin users.
func listUsersRoute(base string) route {
	ok := listAnswer(base, users100, 100)
	nf := jsonAnswer(http.StatusNotFound, notFound)
	return func(r *http.Request) *canned {
		if r.URL.Path == "/api/v4/users" {
			return ok
		}
		return nf
	}
}

// pagedServer serves `pages` pages of `perPage` users at /api/v4/users,
// waiting `delay` before each answer, with GitLab's offset pagination
// headers (X-Total, X-Total-Pages, X-Page, X-Per-Page, X-Next-Page,
// X-Prev-Page and a Link with prev/next/first/last, query keys sorted as
// Rails' to_query does). The server holds one page of admin users in
// memory, so the heap measured during iteration is the client's; each
// page differs from the others in its first user's id, (page-1)*perPage+1,
// as GitLab's pages do: the SDK's iterator ends with an error on a page
// it was sent before.
func pagedServer(tb testing.TB, pages, perPage int, delay time.Duration) *server {
	body := adminUsersPage(1, perPage)
	idAt := bytes.Index(body, []byte(`"id": 1,`))
	if idAt < 0 {
		tb.Fatal(`pagedServer: the page has no "id": 1, to vary`)
	}
	idAt += len(`"id": `)
	head, tail := body[:idAt], body[idAt+1:] // around the first user's id, "1"
	var base string
	s := newServer(tb, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v4/users" {
			jsonAnswer(http.StatusNotFound, notFound).write(w)
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page < 1 {
			page = 1
		}
		time.Sleep(delay)
		link := func(p int, rel string) string {
			return fmt.Sprintf(`<%s/api/v4/users?page=%d&per_page=%d>; rel="%s"`, base, p, perPage, rel)
		}
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		h["X-Total"] = []string{strconv.Itoa(pages * perPage)}
		h["X-Total-Pages"] = []string{strconv.Itoa(pages)}
		h["X-Page"] = []string{strconv.Itoa(page)}
		h["X-Per-Page"] = []string{strconv.Itoa(perPage)}
		next, prev := "", ""
		var links []string
		if page > 1 {
			prev = strconv.Itoa(page - 1)
			links = append(links, link(page-1, "prev"))
		}
		if page < pages {
			next = strconv.Itoa(page + 1)
			links = append(links, link(page+1, "next"))
		}
		links = append(links, link(1, "first"), link(pages, "last"))
		h["X-Next-Page"] = []string{next}
		h["X-Prev-Page"] = []string{prev}
		h["Link"] = []string{strings.Join(links, ", ")}
		if page > pages {
			h["Content-Length"] = []string{"2"}
			_, _ = w.Write([]byte("[]"))
			return
		}
		id := strconv.Itoa((page-1)*perPage + 1)
		h["Content-Length"] = []string{strconv.Itoa(len(head) + len(id) + len(tail))}
		_, _ = w.Write(head)
		_, _ = io.WriteString(w, id)
		_, _ = w.Write(tail)
	})
	base = s.URL
	return s
}

// ---- measurements

// cpuTime is the CPU time (user + system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMeter reports the process CPU time per op as "cpu-ns/op". Over
// loopback that includes the in-process server's share, which is the
// same for every implementation.
type cpuMeter struct{ start time.Duration }

func startCPU(b *testing.B) cpuMeter {
	b.ResetTimer()
	return cpuMeter{cpuTime()}
}

func (m cpuMeter) report(b *testing.B) {
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-m.start)/float64(b.N), "cpu-ns/op")
}

// heapSampler samples the heap every 500µs with runtime/metrics (no stop
// the world) and keeps the peaks of HeapInuse (heap objects, live or not
// yet swept, plus unused span space: exactly MemStats.HeapInuse) and of
// the live heap as of the last GC.
type heapSampler struct {
	stop      chan struct{}
	done      chan struct{}
	peakInuse uint64
	peakLive  uint64
}

var heapMetrics = []string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/gc/heap/live:bytes",
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	samples := make([]metrics.Sample, len(heapMetrics))
	for i, n := range heapMetrics {
		samples[i].Name = n
	}
	read := func() {
		metrics.Read(samples)
		inuse := samples[0].Value.Uint64() + samples[1].Value.Uint64()
		h.peakInuse = max(h.peakInuse, inuse)
		h.peakLive = max(h.peakLive, samples[2].Value.Uint64())
	}
	read()
	go func() {
		defer close(h.done)
		t := time.NewTicker(500 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				read()
				return
			case <-t.C:
				read()
			}
		}
	}()
	return h
}

// finish stops sampling and returns the peaks in bytes.
func (h *heapSampler) finish() (inuse, live uint64) {
	close(h.stop)
	<-h.done
	return h.peakInuse, h.peakLive
}

const mb = 1 << 20

// settle collects garbage so every measured op starts from the same heap.
func settle() { runtime.GC(); runtime.GC() }

// runCalls runs n calls of call, sequentially (workers == 1) or spread
// over workers goroutines.
func runCalls(n, workers int, call func() error) error {
	if workers <= 1 {
		for range n {
			if err := call(); err != nil {
				return err
			}
		}
		return nil
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range workers {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if err := call(); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}
