package gotrue

import (
	"errors"
	"strings"
	"sync"

	context "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
	time "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
)

// DefaultAPIURL is gotrue-js's default: the identity API of the site the
// page is on.
const DefaultAPIURL = "/.netlify/identity"

// The warning gotrue-js prints for an http:// API URL.
const httpWarning = "Warning:\n\nDO NOT USE HTTP IN PRODUCTION FOR GOTRUE EVER!\nGoTrue REQUIRES HTTPS to work securely."

// Options configure a Client. The zero value of every field means
// gotrue-js's default.
type Options struct {
	// Audience is sent as X-JWT-AUD on every request when not empty.
	Audience string
	// SetCookie asks the server for an nf_jwt cookie (X-Use-Cookie).
	SetCookie bool
	// ClientName is sent as X-Nf-Client; default "gotrue-js".
	ClientName string
	// Transport sends the requests; default net/http natively. In the
	// browser there is no default: the wasm bindings pass fetch.
	Transport Transport
	// Session holds the saved session and the current user; clients that
	// share one behave as gotrue-js instances in one page do. Default: a
	// new session over a MemoryStorage.
	Session *SessionStore
	// Clock tells the time for token expiry; default the system clock.
	Clock Clock
	// Logger receives gotrue-js's console warnings and errors; default none.
	Logger Logger
	// Timeout bounds every request, whatever the caller's context says,
	// so that nobody waits for ever for a hung server; default 30 s.
	Timeout time.Duration
	// MaxBody caps the size of an answer in bytes; default 8 MiB.
	MaxBody int
}

// The defaults of Options.Timeout and Options.MaxBody.
const (
	DefaultTimeout = 30 * time.Second
	DefaultMaxBody = 8 << 20
)

// Client is a GoTrue client, the counterpart of gotrue-js's GoTrue class.
// It is safe for concurrent use.
type Client struct {
	transport Transport
	session   *SessionStore
	clock     Clock
	log       Logger
	timeout   time.Duration
	maxBody   int

	// The client's public settings. gotrue-js reads them from its object
	// at every request, so a page may change them; the browser bindings
	// pass such changes on (configure).
	mu         sync.Mutex
	apiURL     string
	sameOrigin bool // send the page's credentials (gotrue-js's api._sameOrigin)
	audience   string
	setCookie  bool
	headers    map[string]string // default headers, X-Use-Cookie included
}

// New returns a client for the GoTrue API at apiURL; "" means
// [DefaultAPIURL]. Relative URLs are for the browser, where fetch resolves
// them against the page.
func New(apiURL string, opts Options) *Client {
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	c := &Client{
		apiURL:     apiURL,
		sameOrigin: isSameOrigin(apiURL),
		audience:   opts.Audience,
		setCookie:  opts.SetCookie,
		transport:  opts.Transport,
		session:    opts.Session,
		clock:      opts.Clock,
		log:        opts.Logger,
		timeout:    opts.Timeout,
		maxBody:    opts.MaxBody,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBody
	}
	name := opts.ClientName
	if name == "" {
		name = "gotrue-js"
	}
	c.headers = map[string]string{"X-Nf-Client": name}
	if c.transport == nil {
		c.transport = defaultTransport()
	}
	if c.clock == nil {
		c.clock = systemClock{}
	}
	if c.log == nil {
		c.log = nopLogger{}
	}
	if c.session == nil {
		c.session = NewSessionStore(&MemoryStorage{}, nil)
	}
	if strings.HasPrefix(apiURL, "http://") {
		c.log.Warn(httpWarning)
	}
	return c
}

// APIURL is the API URL (gotrue.api.apiURL).
func (c *Client) APIURL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.apiURL
}

// Audience is the client's audience, "" when none.
func (c *Client) Audience() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.audience
}

// SetCookie tells whether the client asks for nf_jwt cookies.
func (c *Client) SetCookie() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.setCookie
}

// isSameOrigin reports whether apiURL is relative to the page (/x, not //x):
// then fetch must send the page's own credentials (its cookies), as
// gotrue-js decides once, when its API object is made.
func isSameOrigin(apiURL string) bool {
	return strings.HasPrefix(apiURL, "/") && !strings.HasPrefix(apiURL, "//")
}

// configure replaces the client's public settings with the page's: the
// browser bindings pass them on before every call (see internal/plumbing).
func (c *Client) configure(s plumbing.Config) {
	h := make(map[string]string, len(s.DefaultHeaders))
	for k, v := range s.DefaultHeaders {
		h[k] = v
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.apiURL, c.sameOrigin, c.headers, c.audience, c.setCookie = s.APIURL, s.SameOrigin, h, s.Audience, s.SetCookie
}

// Session is the session store the client uses.
func (c *Client) Session() *SessionStore { return c.session }

// DefaultHeaders returns a copy of the headers sent with every request
// (gotrue.api.defaultHeaders).
func (c *Client) DefaultHeaders() map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]string, len(c.headers))
	for k, v := range c.headers {
		out[k] = v
	}
	return out
}

// setRememberHeaders is gotrue-js's _setRememberHeaders: with SetCookie, it
// asks for a persistent cookie when remember, else a session cookie, on
// this and every later request of the client. Login and the other methods
// that log a user in call it themselves.
func (c *Client) setRememberHeaders(remember bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.setCookie {
		c.headers["X-Use-Cookie"] = rememberValue(remember)
	}
}

// rememberHeaderSet reports whether setRememberHeaders(remember) would
// change nothing.
func (c *Client) rememberHeaderSet(remember bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.setCookie || c.headers["X-Use-Cookie"] == rememberValue(remember)
}

// rememberValue is X-Use-Cookie's value: "1" for a persistent cookie,
// "session" for one that ends with the browser session.
func rememberValue(remember bool) string {
	if remember {
		return "1"
	}
	return "session"
}

// call is one request's own parts.
type call struct {
	method      string
	path        string
	header      map[string]string // the call's own headers, applied last
	body        []byte
	audience    string // X-JWT-AUD, when not empty
	credentials string // instead of "same-origin", for a same-origin client
	// answerHeader, when set, receives the answer's headers.
	answerHeader *map[string]string
}

const formContentType = "application/x-www-form-urlencoded"

// JSONContentType is the Content-Type of every request that has a body,
// unless the call sets its own (gotrue-js's api.headers()).
const JSONContentType = "application/json"

// send builds the request as gotrue-js's API.request does and checks the
// answer: default headers, then Content-Type: application/json, then the
// call's own headers; no Content-Type without a body.
func (c *Client) send(ctx context.Context, cl call) (RawJSON, error) {
	c.mu.Lock()
	h := make(map[string]string, len(c.headers)+4)
	for k, v := range c.headers {
		h[k] = v
	}
	apiURL, sameOrigin := c.apiURL, c.sameOrigin
	c.mu.Unlock()
	h["Content-Type"] = JSONContentType
	if cl.audience != "" {
		h["X-JWT-AUD"] = cl.audience
	}
	for k, v := range cl.header {
		h[k] = v
	}
	if len(cl.body) == 0 {
		delete(h, "Content-Type")
	}
	req := &Request{Method: cl.method, URL: apiURL + cl.path, Header: h, Body: cl.body, MaxBody: c.maxBody}
	if req.Method == "" {
		req.Method = "GET"
	}
	if sameOrigin {
		req.Credentials = "same-origin"
		if cl.credentials != "" {
			req.Credentials = cl.credentials
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := c.transport.Do(ctx, req)
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, ErrTimeout
	}
	if err != nil {
		return nil, err
	}
	if len(resp.Body) > c.maxBody {
		return nil, errTooLarge(resp.Status, c.maxBody)
	}
	if cl.answerHeader != nil {
		*cl.answerHeader = resp.Header
	}
	return checkResponse(resp)
}

// request is GoTrue._request: the client's audience and the message
// rewrite of JSON errors.
func (c *Client) request(ctx context.Context, cl call) (RawJSON, error) {
	if cl.audience == "" {
		cl.audience = c.Audience()
	}
	v, err := c.send(ctx, cl)
	return v, rewriteMessage(err)
}

// headerValue finds a header whatever the case of its name.
func headerValue(h map[string]string, name string) string {
	if v, ok := h[name]; ok {
		return v
	}
	for k, v := range h {
		if equalFoldASCII(k, name) {
			return v
		}
	}
	return ""
}

// equalFoldASCII compares header names without case; strings.EqualFold
// would link Unicode case tables into the browser build for names that are
// ASCII anyway.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// encodeURIComponent escapes s as JavaScript's encodeURIComponent does.
func encodeURIComponent(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
