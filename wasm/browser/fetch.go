//go:build js

package browser

import (
	"strings"
	"syscall/js"
	"unicode/utf8"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
)

var jsArray = js.Global().Get("Array")

// FetchTransport is the gotrue.Transport of the browser: one fetch per
// request. The zero value is ready to use.
type FetchTransport struct {
	// Fetch is the fetch function; the zero Value means globalThis.fetch.
	Fetch js.Value
}

// Do implements gotrue.Transport. A network failure is a *JSError holding
// the browser's own error (a TypeError); an end of ctx (the client's
// timeout included) aborts the fetch and is ctx.Err(). A body longer than
// req.MaxBody is not read when its Content-Length says so.
func (t *FetchTransport) Do(ctx Context, req *gotrue.Request) (*gotrue.Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w := waiter{ctx: ctx}
	var (
		resp *gotrue.Response
		err  error
	)
	if perr := Try(func() { resp, err = t.do(w, req) }); perr != nil {
		return nil, perr
	}
	return resp, err
}

func (t *FetchTransport) do(w waiter, req *gotrue.Request) (*gotrue.Response, error) {
	global := js.Global()
	opt := global.Get("Object").New()
	opt.Set("method", req.Method)
	headers := global.Get("Object").New()
	for k, v := range req.Header {
		headers.Set(k, v)
	}
	opt.Set("headers", headers)
	if len(req.Body) > 0 {
		opt.Set("body", bodyValue(req.Body))
	}
	if req.Credentials != "" {
		opt.Set("credentials", req.Credentials)
	}
	var abort func()
	if ac := global.Get("AbortController"); ac.Type() == js.TypeFunction {
		c := ac.New()
		opt.Set("signal", c.Get("signal"))
		abort = func() { c.Call("abort") }
	}

	fetch := t.Fetch
	if fetch.IsUndefined() {
		fetch = Get(global, "fetch")
	}
	w.abort = abort
	res, err := w.await(fetch.Invoke(req.URL, opt))
	if err != nil {
		return nil, err
	}
	resp := &gotrue.Response{
		Status:     Get(res, "status").Int(),
		StatusText: Get(res, "statusText").String(),
		Header:     readHeaders(Get(res, "headers")),
	}
	// Refuse a body announced as too large before reading it; the client
	// refuses one that turns out too large.
	if n, ok := atoi(resp.Header["content-length"]); ok && req.MaxBody > 0 && n > req.MaxBody {
		if abort != nil {
			_ = Try(abort)
		}
		return nil, plumbing.TooLarge(resp.Status, req.MaxBody)
	}
	buf, err := w.await(res.Call("arrayBuffer"))
	if err != nil {
		return nil, err
	}
	n := Get(buf, "byteLength").Int()
	resp.Body = make([]byte, n)
	js.CopyBytesToGo(resp.Body, global.Get("Uint8Array").New(buf))
	return resp, nil
}

// bodyValue passes text as a string and anything else as bytes.
func bodyValue(b []byte) js.Value {
	if utf8.Valid(b) {
		return js.ValueOf(string(b))
	}
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// readHeaders reads every header in one crossing: Array.from(headers)
// joined by newlines gives "name,value" lines. A name has no comma and a
// value no newline, so each line splits at its first comma. fetch gives
// lower-case names and joins repeated headers with ", ".
func readHeaders(h js.Value) map[string]string {
	out := make(map[string]string)
	lines := jsArray.Call("from", h).Call("join", "\n").String()
	for len(lines) > 0 {
		line := lines
		if i := strings.IndexByte(lines, '\n'); i >= 0 {
			line, lines = lines[:i], lines[i+1:]
		} else {
			lines = ""
		}
		if i := strings.IndexByte(line, ','); i >= 0 {
			out[line[:i]] = line[i+1:]
		}
	}
	return out
}

// atoi reads a Content-Length: decimal digits only; a huge one stops
// growing at 2^50, beyond any limit. strconv.Atoi's error would link
// strconv's quoting and its Unicode tables into gotrue.wasm.
func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		if n < 1<<50 {
			n = n*10 + int(s[i]-'0')
		}
	}
	return n, s != ""
}
