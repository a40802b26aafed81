package devserver

import (
	"log"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// logRequests writes one line per request: method, path, status, bytes,
// duration. Never headers or bodies (Authorization, passwords), and query
// values only for a few harmless keys: /authorize?invite_token=… and the
// OAuth state are credentials.
func logRequests(l *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		l.Printf("%s %s %d %dB %s", r.Method, loggedPath(r.URL), sw.statusCode(), sw.bytes, time.Since(start).Round(10*time.Microsecond))
	})
}

// Query keys whose values are shown in the log; every other value is
// replaced by "…".
var loggedQueryKeys = map[string]bool{"provider": true, "kind": true, "page": true, "per_page": true}

func loggedPath(u *url.URL) string {
	p := u.EscapedPath()
	if u.RawQuery == "" {
		return p
	}
	var parts []string
	for _, kv := range strings.Split(u.RawQuery, "&") {
		k, _, hasValue := strings.Cut(kv, "=")
		key, err := url.QueryUnescape(k)
		switch {
		case err == nil && loggedQueryKeys[key]:
			parts = append(parts, kv)
		case hasValue:
			parts = append(parts, k+"=…")
		default:
			parts = append(parts, "…")
		}
	}
	return p + "?" + strings.Join(parts, "&")
}

// statusWriter counts what went out. Unwrap lets http.ResponseController
// (the reverse proxy's flushes) reach the real writer.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 { // 1xx (Early Hints) are not the answer
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) statusCode() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
