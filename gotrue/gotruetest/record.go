package gotruetest

import (
	"net/http"
	"strings"
)

// RecordedRequest is one request the API handled, kept so that tests can
// assert what a client sent (headers, form or JSON body, how many refreshes).
// It holds credentials as sent: it is for test assertions, not for logs.
type RecordedRequest struct {
	Method string      `json:"method"`
	Path   string      `json:"path"` // relative to the mount point, with "?query" when present
	Header http.Header `json:"header"`
	Body   string      `json:"body"`
}

func (s *Server) record(r *http.Request, body []byte) {
	path := r.URL.Path
	if r.URL.RawQuery != "" {
		path += "?" + r.URL.RawQuery
	}
	rec := RecordedRequest{Method: r.Method, Path: path, Header: r.Header.Clone(), Body: string(body)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, rec)
	if n := len(s.requests); n > maxRecorded {
		// Copy down rather than reslice so the dropped requests can be freed.
		s.requests = append(s.requests[:0:0], s.requests[n-maxRecorded:]...)
	}
}

// Requests returns the requests the API handled, oldest first (at most the
// newest 10000).
func (s *Server) Requests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RecordedRequest, len(s.requests))
	for i, r := range s.requests {
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// CountRequests counts recorded requests with this method ("" for any) and
// path. A path with "?" must match the query too; one without matches any
// query.
func (s *Server) CountRequests(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		p := r.Path
		if !strings.Contains(path, "?") {
			p, _, _ = strings.Cut(p, "?")
		}
		if (method == "" || r.Method == method) && p == path {
			n++
		}
	}
	return n
}
