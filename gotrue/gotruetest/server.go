// Package gotruetest is an in-memory server that answers like netlify/gotrue,
// the GoTrue behind Netlify Identity.
//
// Go tests start one per test with NewServer (httptest style); a dev server
// mounts New(...) as an http.Handler under a prefix such as
// /.netlify/identity with http.StripPrefix. Paths below are relative to that
// mount point.
//
// What the server answers, status codes, messages and key order included,
// follows netlify/gotrue; tests replay exchanges recorded from the real
// server to keep it so. Where it cannot (there is no real OAuth provider
// or mail server), it stands in locally: mails land in a mailbox readable
// through Mails and MailboxHandler, and /authorize sends the browser
// through a fake provider on this server. DIFFERENCES.md in this folder
// lists every place where it differs, and why.
package gotruetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Config holds the switches of a Server. Zero values mean the defaults
// described on each field.
type Config struct {
	JWTSecret     string        // HS256 secret; default a random one per server
	Audience      string        // aud for users when a request has no X-JWT-AUD header; default ""
	Autoconfirm   bool          // confirm signups at once, without a mail
	DisableSignup bool          // /signup answers 403
	TokenLifetime time.Duration // access token lifetime, default 1h (expires_in in seconds)
	// RefreshTokenLifetime is how long a refresh token can be used after
	// it was issued, default 30 days as on the real server. Each refresh
	// issues a new one, so a session in use lasts.
	RefreshTokenLifetime time.Duration
	MailInterval         time.Duration // minimum gap between two mails of one kind to one address, default 15m
	SiteURL              string        // base of links in mails and of OAuth redirects, e.g. "http://127.0.0.1:8080"; default ""
	AllowedOrigins       []string      // CORS origins allowed with credentials; "*" allows any origin by echoing it
	// OperatorToken is a bearer token that is always an admin, like the
	// token a Netlify function receives as clientContext.identity.token.
	// The raw string is compared; "" means none.
	OperatorToken string
	// AppMetadataAdmins also makes a user an admin when app_metadata.roles
	// holds "admin", the list Netlify's dashboard edits. netlify/gotrue
	// checks only the role field and answers such a user 401 "User not
	// allowed", which is what the default (false) does too.
	AppMetadataAdmins bool
	ExternalProviders []string         // enabled OAuth providers; nil means github, gitlab, google, bitbucket
	MaxBodyBytes      int64            // request body limit, default 1 MiB; larger bodies get 413
	Now               func() time.Time // the clock, default time.Now
}

const (
	defaultTokenLifetime = time.Hour
	defaultRefreshLife   = 30 * 24 * time.Hour
	defaultMailInterval  = 15 * time.Minute
	defaultMaxBodyBytes  = 1 << 20
	maxRecorded          = 10000
	audHeader            = "X-JWT-AUD"
	useCookieHeader      = "X-Use-Cookie"
)

var defaultProviders = []string{"github", "gitlab", "google", "bitbucket"}

// withDefaults fills zero fields. Slices are cloned so that a caller who
// later edits its own slice cannot race with the server reading it.
func (c Config) withDefaults() Config {
	if c.JWTSecret == "" {
		c.JWTSecret = randomToken(32)
	}
	if c.TokenLifetime <= 0 {
		c.TokenLifetime = defaultTokenLifetime
	}
	if c.RefreshTokenLifetime <= 0 {
		c.RefreshTokenLifetime = defaultRefreshLife
	}
	if c.MailInterval <= 0 {
		c.MailInterval = defaultMailInterval
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = defaultMaxBodyBytes
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.ExternalProviders == nil {
		c.ExternalProviders = defaultProviders
	}
	c.ExternalProviders = slices.Clone(c.ExternalProviders)
	c.AllowedOrigins = slices.Clone(c.AllowedOrigins)
	return c
}

// Server is a GoTrue-compatible identity API held in memory. It implements
// http.Handler; all its methods are safe for concurrent use.
type Server struct {
	// One mutex guards everything: every handler's work is a few map
	// operations, and one lock makes each request atomic like a DB
	// transaction in the real server.
	mu       sync.Mutex
	cfg      Config
	seq      int
	users    map[string]*user        // by id
	refresh  map[string]refreshGrant // by refresh token
	states   map[string]oauthFlow    // OAuth state -> pending flow
	mails    []Mail
	requests []RecordedRequest
	audit    []auditEntry // oldest first; see auditKeptLocked
}

// New returns a Server with cfg's zero fields set to their defaults.
func New(cfg Config) *Server {
	return &Server{
		cfg:     cfg.withDefaults(),
		users:   map[string]*user{},
		refresh: map[string]refreshGrant{},
		states:  map[string]oauthFlow{},
	}
}

// SetConfig changes the configuration at run time (autoconfirm,
// disable_signup, token lifetime, ...). f gets a copy; requests already
// running keep the configuration they started with.
func (s *Server) SetConfig(f func(*Config)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cfg
	c.ExternalProviders = slices.Clone(c.ExternalProviders)
	c.AllowedOrigins = slices.Clone(c.AllowedOrigins)
	f(&c)
	s.cfg = c.withDefaults()
}

func (s *Server) config() Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

// call carries one request through the handlers.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	cfg    Config
	now    time.Time
	body   []byte
	bearer string       // set once authenticated
	claims *tokenClaims // set once a JWT was verified
	target string       // admin routes: the {user_id} of the path
	admin  auditActor   // admin routes and /invite: who the admin is
}

type handler func(s *Server, c *call) error

// ServeHTTP answers the API routes (paths relative to the mount point).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tw := &trackingWriter{ResponseWriter: w}
	defer func() {
		// Never let a bug take the process down or show a stack to a client.
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			if !tw.wrote {
				writeJSON(tw, http.StatusInternalServerError, internalError)
			}
		}
	}()

	cfg := s.config()
	body, bodyErr := readBody(r, cfg.MaxBodyBytes)
	s.record(r, body)
	if applyCORS(tw, r, cfg) {
		return
	}
	c := &call{w: tw, r: r, cfg: cfg, now: cfg.Now(), body: body}
	err := bodyErr
	if err == nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		err = s.route(c)
	}
	if err != nil {
		writeErr(tw, err)
	}
}

// route dispatches on the path the way netlify/gotrue's chi router does:
// group middleware (authentication, admin check) runs before the group's
// own 404 and 405 answers.
func (s *Server) route(c *call) error {
	p := c.r.URL.Path
	switch p {
	case "/health":
		return s.methods(c, handlers{http.MethodGet: (*Server).health})
	case "/settings":
		return s.methods(c, handlers{http.MethodGet: (*Server).settings})
	case "/signup":
		return s.methods(c, handlers{http.MethodPost: (*Server).signup})
	case "/token":
		return s.methods(c, handlers{http.MethodPost: (*Server).token})
	case "/verify":
		return s.methods(c, handlers{http.MethodPost: (*Server).verify})
	case "/recover":
		return s.methods(c, handlers{http.MethodPost: (*Server).recoverPassword})
	case "/authorize":
		return s.methods(c, handlers{http.MethodGet: (*Server).authorize})
	case "/callback", "/callback/":
		return s.methods(c, handlers{http.MethodGet: (*Server).callback})
	case "/logout":
		return s.methods(c, handlers{http.MethodPost: (*Server).logout})
	case "/invite":
		return s.methods(c, handlers{http.MethodPost: (*Server).invite})
	}
	switch {
	case p == "/user" || strings.HasPrefix(p, "/user/"):
		if err := s.authenticate(c); err != nil {
			return err
		}
		if p != "/user" && p != "/user/" {
			return errNotFound
		}
		return s.methods(c, handlers{http.MethodGet: (*Server).getUser, http.MethodPut: (*Server).putUser})
	case p == "/admin" || strings.HasPrefix(p, "/admin/"):
		return s.routeAdmin(c, strings.TrimPrefix(p, "/admin"))
	}
	return errNotFound
}

type handlers map[string]handler

// methods runs the handler for the request's method, or answers 405 with
// an empty body and an Allow header as chi does.
func (s *Server) methods(c *call, hs handlers) error {
	if h, ok := hs[c.r.Method]; ok {
		return h(s, c)
	}
	allow := make([]string, 0, len(hs))
	for m := range hs {
		allow = append(allow, m)
	}
	slices.Sort(allow)
	return methodNotAllowed(strings.Join(allow, ", "))
}

func (s *Server) health(c *call) error {
	return writeJSON(c.w, http.StatusOK, map[string]string{
		"version":     "gotruetest",
		"name":        "GoTrue",
		"description": "GoTrue is a user registration and authentication API",
	})
}

// readBody reads at most limit bytes; a longer body is an error (413) so
// that no handler ever sees a truncated request.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return b, badRequest("Could not read request body")
	}
	if int64(len(b)) > limit {
		return b[:limit], httpErr(http.StatusRequestEntityTooLarge, "Request body too large")
	}
	return b, nil
}

// applyCORS sets the CORS headers for an allowed Origin and answers
// preflights. It reports whether the request has been answered.
func applyCORS(w http.ResponseWriter, r *http.Request, cfg Config) bool {
	h := w.Header()
	h.Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	allowed := origin != "" && originAllowed(origin, cfg.AllowedOrigins)
	if allowed {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Set("Access-Control-Expose-Headers", "Link, X-Total-Count")
	}
	if r.Method != http.MethodOptions {
		return false
	}
	if allowed {
		h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type, X-JWT-AUD, X-Nf-Client, X-Use-Cookie")
		h.Set("Access-Control-Max-Age", "600")
	}
	w.WriteHeader(http.StatusNoContent)
	return true
}

// CheckOrigin reports whether o can be an entry of Config.AllowedOrigins:
// "*" (any origin) or an origin as a browser sends it in the Origin header,
// scheme://host[:port] in lower case, without path (not even a trailing
// slash), query or fragment. Anything else would never match a request.
func CheckOrigin(o string) error {
	if o == "*" {
		return nil
	}
	u, err := url.Parse(o)
	if err != nil || u.Scheme == "" || u.Opaque != "" || u.Hostname() == "" {
		return fmt.Errorf("%q is not an origin: want scheme://host[:port], e.g. http://localhost:5173, or *", o)
	}
	if u.User != nil || u.Path != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(o, "#") {
		return fmt.Errorf("%q is not an origin: want only scheme://host[:port], without user, path (not even a trailing /), query or fragment", o)
	}
	if strings.HasSuffix(u.Host, ":") {
		return fmt.Errorf("%q is not an origin: empty port", o)
	}
	if o != strings.ToLower(o) {
		return fmt.Errorf("%q: write the origin in lower case, as browsers send it", o)
	}
	return nil
}

func originAllowed(origin string, allowed []string) bool {
	for _, a := range allowed {
		if a == "*" || a == origin {
			return true
		}
	}
	return false
}

// trackingWriter remembers whether the header went out, so the panic
// handler knows whether it can still answer.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *trackingWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *trackingWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Errors. The real server answers {code,msg} for most failures and the
// OAuth2 shape {error,error_description} (always 400) on /token.

type httpError struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
}

func (e *httpError) Error() string { return fmt.Sprintf("%d: %s", e.Code, e.Msg) }

func httpErr(code int, format string, args ...any) *httpError {
	return &httpError{Code: code, Msg: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *httpError {
	return httpErr(http.StatusBadRequest, format, args...)
}

func unprocessable(format string, args ...any) *httpError {
	return httpErr(http.StatusUnprocessableEntity, format, args...)
}

func unauthorized(format string, args ...any) *httpError {
	return httpErr(http.StatusUnauthorized, format, args...)
}

var (
	internalError = &httpError{Code: http.StatusInternalServerError, Msg: "Internal server error"}
	userNotFound  = &httpError{Code: http.StatusNotFound, Msg: "User not found"}
)

type oauthError struct {
	Err         string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

func (e *oauthError) Error() string { return e.Err + ": " + e.Description }

// errNotFound answers like http.NotFound: 404 text/plain "404 page not found\n".
var errNotFound = errors.New("not found")

type methodNotAllowed string // the Allow header

func (m methodNotAllowed) Error() string { return "method not allowed" }

func writeErr(w http.ResponseWriter, err error) {
	var (
		he *httpError
		oe *oauthError
		me methodNotAllowed
	)
	switch {
	case errors.As(err, &he):
		writeJSON(w, he.Code, he)
	case errors.As(err, &oe):
		writeJSON(w, http.StatusBadRequest, oe)
	case errors.As(err, &me):
		w.Header().Set("Allow", string(me))
		w.WriteHeader(http.StatusMethodNotAllowed)
	case errors.Is(err, errNotFound):
		http.NotFound(w, nil)
	default:
		writeJSON(w, http.StatusInternalServerError, internalError)
	}
}

// writeJSON always returns nil so handlers can end with `return writeJSON(...)`.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":500,"msg":"Internal server error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
	return nil
}

// decodeBody decodes the first JSON value of the body, as the real server's
// json.Decoder does; what names the params in the error message.
func decodeBody(c *call, what string, v any) error {
	if err := json.NewDecoder(bytes.NewReader(c.body)).Decode(v); err != nil {
		return badRequest("Could not read %s params: %v", what, err)
	}
	return nil
}
