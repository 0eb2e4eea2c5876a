package gitlab

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// checkRetry is retryablehttp's CheckRetry. It logs the attempt, decides
// whether to retry (never duplicating a write), and waits before the
// retry itself, so the wait it logs is the wait it takes and a done ctx
// ends it at once.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st, _ := ctx.Value(attemptKey{}).(*attemptState)
	if st == nil {
		st = &attemptState{}
	}
	c.logAttempt(ctx, st, resp, err)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	reason, ok := retryReason(st, resp, err)
	if !ok || st.attempt > c.retryMax {
		return false, nil
	}
	wait := c.backoff(st.attempt, resp)
	if wait > c.retryWaitMax {
		// The server asked for longer than we may wait: hand its answer
		// back now; ErrorResponse.RetryAfter tells the caller how long.
		return false, nil
	}
	if c.logger != nil {
		c.logger.LogAttrs(ctx, slog.LevelWarn, "gitlab: retrying request",
			slog.String("method", st.method), slog.String("path", st.path()),
			slog.Int("attempt", st.attempt), slog.String("reason", redactString(reason, c.token)),
			slog.Duration("wait", wait))
	}
	if resp != nil {
		drainClose(resp.Body) // free the connection before sleeping
	}
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-t.C:
		}
	}
	return true, nil
}

func (c *Client) logAttempt(ctx context.Context, st *attemptState, resp *http.Response, err error) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", st.method), slog.String("path", st.path()),
		slog.Int("attempt", st.attempt), slog.Duration("duration", time.Since(st.start)),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	} else if err != nil {
		attrs = append(attrs, slog.String("error", redactErr(err, c.token).Error()))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "gitlab: request", attrs...)
}

// retryReason says whether an attempt may be retried, and why. Methods
// that are safe to repeat (GET, HEAD, PUT, DELETE, and POSTs a service
// marked idempotent) are retried on 429, 5xx gateway-type answers and
// transport errors. Other POSTs only on 429 (the server did not act) and
// on errors that prove the request never left.
func retryReason(st *attemptState, resp *http.Response, err error) (string, bool) {
	safe := st.idempotent
	switch st.method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		safe = true
	}
	if err != nil {
		if !retryableTransportError(err) {
			return "", false
		}
		if neverSent(err) {
			return "connection failed before the request was sent: " + err.Error(), true
		}
		return "transport error: " + err.Error(), safe
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return "429 Too Many Requests", true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return resp.Status, safe
	}
	return "", false
}

// retryableTransportError is false for errors a retry cannot fix: bad
// certificates, redirect loops, malformed requests.
func retryableTransportError(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr) {
		return false
	}
	msg := err.Error()
	for _, s := range []string{"stopped after", "unsupported protocol scheme", "invalid header", "tls: "} {
		if strings.Contains(msg, s) {
			return false
		}
	}
	return true
}

// backoff returns the wait before retry number attempt: what the server
// asked for (Retry-After, then RateLimit-Reset), else exponential backoff
// with jitter between the configured bounds.
func (c *Client) backoff(attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := serverWait(resp.Header, time.Now()); ok {
			return d
		}
	}
	d := c.retryWaitMin
	for i := 1; i < attempt && d < c.retryWaitMax; i++ {
		d *= 2
	}
	if d > c.retryWaitMax {
		d = c.retryWaitMax
	}
	if d <= 0 {
		return 0
	}
	// Full jitter in [d/2, d]: spreads out clients that failed together.
	half := d / 2
	return half + rand.N(d-half+1)
}

// serverWait reads how long the server asked the client to wait:
// Retry-After in seconds or as an HTTP date, else RateLimit-Reset as a
// Unix time. Malformed values are ignored.
func serverWait(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil && s >= 0 {
			if s > int64(365*24*time.Hour/time.Second) {
				s = int64(365 * 24 * time.Hour / time.Second)
			}
			return time.Duration(s) * time.Second, true
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0), true
		}
	}
	if v := strings.TrimSpace(h.Get("RateLimit-Reset")); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil && s > 0 {
			return max(time.Unix(s, 0).Sub(now), 0), true
		}
	}
	return 0, false
}
