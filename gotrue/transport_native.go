//go:build !js

package gotrue

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// HTTPTransport is the native Transport, over net/http. The browser build
// leaves it out: net/http would multiply the size of gotrue.wasm.
type HTTPTransport struct {
	// Client sends the requests; default one with a 30 second timeout.
	Client *http.Client
	// MaxBody caps the answer's size; default 8 MiB.
	MaxBody int64
}

func defaultTransport() Transport { return &HTTPTransport{} }

// Do implements Transport.
func (t *HTTPTransport) Do(ctx context.Context, r *Request) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return nil, err
	}
	if r.Body == nil {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	hc := t.Client
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	limit := t.MaxBody
	if limit <= 0 {
		limit = 8 << 20
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, &InvalidAnswerError{Status: resp.StatusCode, Reason: "the body is larger than the client accepts"}
	}
	h := make(map[string]string, len(resp.Header))
	for k := range resp.Header {
		h[k] = resp.Header.Get(k)
	}
	return &Response{
		Status:     resp.StatusCode,
		StatusText: strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode))),
		Header:     h,
		Body:       body,
	}, nil
}
