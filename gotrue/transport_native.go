//go:build !js

package gotrue

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// HTTPTransport is the native Transport, over net/http. The browser build
// leaves it out: net/http would multiply the size of gotrue.wasm.
type HTTPTransport struct {
	// Client sends the requests; default http.DefaultClient. The client's
	// context bounds each request (Options.Timeout).
	Client *http.Client
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
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// Read one byte past the cap, so that the client sees the body is
	// too long without this reading all of it.
	limit := int64(r.MaxBody)
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
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
