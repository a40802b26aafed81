// Package devserver serves the gotrue-wasm demo on one origin, the way a
// Netlify site would: the demo page at /, the loader folder at /js/, the
// identity API at /.netlify/identity (an in-memory GoTrue, or a reverse
// proxy to a real one) and, for the in-memory one, its mailbox at /mailbox.
//
// cmd/demo runs it; end-to-end tests and benchmarks mount a Server
// in-process with httptest.
package devserver

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/demo"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// Where things live on the origin.
const (
	IdentityPath = "/.netlify/identity"
	MailboxPath  = "/mailbox"
	JSPath       = "/js/"
)

// The admin user seeded into the embedded identity server, so that the
// demo can exercise the admin methods and /invite. It is a well-known demo
// account of a throwaway in-memory server, not a secret.
const (
	AdminEmail    = "admin@example.com"
	AdminPassword = "admin-password"
)

// Config says what a Server serves.
type Config struct {
	JSDir   string // the loader folder (gotrue.mjs, gotrue.js, gotrue.wasm, …); must hold gotrue.wasm
	SiteDir string // serve the demo site from this folder; "" serves the embedded copy

	// IdentityURL, when set, proxies /.netlify/identity to a real GoTrue,
	// e.g. https://example.netlify.app/.netlify/identity. Otherwise an
	// in-memory server answers, configured by the fields below.
	IdentityURL   string
	SiteURL       string // this server's origin, e.g. http://127.0.0.1:8080: base of mail links; see SetSiteURL
	Autoconfirm   bool
	DisableSignup bool
	TokenLifetime time.Duration // access token lifetime; 0 means 1h

	// AllowedOrigins are other origins (scheme://host[:port], or "*" for
	// any) whose pages may call the identity API and the mailbox with
	// credentials (CORS), besides the site's own origin. Embedded only.
	AllowedOrigins []string
	// OperatorToken is a bearer token that is always an admin of the
	// embedded identity server, like the token a Netlify function gets
	// as context.clientContext.identity.token. "" picks a random one; see
	// Server.OperatorToken. Embedded only.
	OperatorToken string

	Log *log.Logger // one line per request; nil logs nothing
}

// Server is the demo origin. It implements http.Handler.
type Server struct {
	handler  http.Handler
	identity *gotruetest.Server // nil when proxying
	origins  []string           // Config.AllowedOrigins
	operator string             // the embedded server's operator token
}

// New checks the folders and builds the handler. A JSDir without
// gotrue.wasm is an error that says to run `make wasm`.
func New(cfg Config) (*Server, error) {
	if err := CheckJSDir(cfg.JSDir); err != nil {
		return nil, err
	}
	site, err := siteFS(cfg.SiteDir)
	if err != nil {
		return nil, err
	}

	if cfg.IdentityURL != "" && len(cfg.AllowedOrigins) > 0 {
		return nil, errors.New("allowed origins only apply to the embedded identity server; a proxied one answers CORS itself")
	}
	if cfg.IdentityURL != "" && cfg.OperatorToken != "" {
		return nil, errors.New("an operator token only applies to the embedded identity server; a real site's is context.clientContext.identity.token in a Netlify Function")
	}
	for _, o := range cfg.AllowedOrigins {
		if err := gotruetest.CheckOrigin(o); err != nil {
			return nil, err
		}
	}

	s := &Server{origins: slices.Clone(cfg.AllowedOrigins)}
	mux := http.NewServeMux()
	mux.Handle(JSPath, http.StripPrefix(strings.TrimSuffix(JSPath, "/"), newFiles(os.DirFS(cfg.JSDir), false, "")))
	mux.Handle("/", newFiles(site, true, siteCSP))

	var api, mailbox http.Handler
	if cfg.IdentityURL != "" {
		if api, err = newProxy(cfg.IdentityURL, cfg.Log); err != nil {
			return nil, err
		}
		mailbox = noMailbox(cfg.IdentityURL)
	} else {
		if cfg.OperatorToken == "" {
			cfg.OperatorToken = RandomToken()
		}
		s.operator = cfg.OperatorToken
		if s.identity, err = newIdentity(cfg); err != nil {
			return nil, err
		}
		api, mailbox = s.identity, s.identity.MailboxHandler()
	}
	api = http.StripPrefix(IdentityPath, api)
	mux.Handle(IdentityPath, api)
	mux.Handle(IdentityPath+"/", api)
	mux.Handle(MailboxPath, mailbox)

	s.handler = mux
	if cfg.Log != nil {
		s.handler = logRequests(cfg.Log, mux)
	}
	return s, nil
}

// ServeHTTP serves the demo origin.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Identity returns the embedded identity server, for tests that read its
// mailbox, seed users or change its settings; nil in proxy mode.
func (s *Server) Identity() *gotruetest.Server { return s.identity }

// OperatorToken is the embedded identity server's operator token, a
// bearer that is always an admin (for /admin/* and /invite); "" in proxy
// mode.
func (s *Server) OperatorToken() string { return s.operator }

// SetSiteURL tells the embedded identity server the origin it is served
// on, once known (a server on port 0 learns it after listening): mail
// links and OAuth redirects land there, and it is the origin allowed by
// CORS, with Config.AllowedOrigins. No-op in proxy mode.
func (s *Server) SetSiteURL(origin string) {
	if s.identity == nil {
		return
	}
	origin = strings.TrimRight(origin, "/")
	s.identity.SetConfig(func(c *gotruetest.Config) {
		c.SiteURL = origin
		c.AllowedOrigins = allowedOrigins(origin, s.origins)
	})
}

// allowedOrigins is the site's own origin, when known, and the extra ones.
func allowedOrigins(site string, extra []string) []string {
	var out []string
	if site != "" {
		out = append(out, site)
	}
	for _, o := range extra {
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

// RandomToken is 16 random bytes in hex, for a throwaway operator token.
func RandomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// siteFS is the folder on disk when given (so edits show up without a
// rebuild), else the embedded copy.
func siteFS(dir string) (fs.FS, error) {
	if dir == "" {
		return demo.Site(), nil
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("site folder %s has no index.html", dir)
		}
		return nil, fmt.Errorf("site folder: %w", err)
	}
	return os.DirFS(dir), nil
}
