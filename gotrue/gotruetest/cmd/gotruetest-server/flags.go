package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// setup is what the command line asks for.
type setup struct {
	cfg     gotruetest.Config
	addr    string
	command []string // after --; empty means serve until interrupted

	secretGiven bool // -jwt-secret was set (else gotruetest picks a random one)
	tokenGiven  bool // -operator-token was set (else cfg.OperatorToken is random)
}

// The defaults that the flags show; gotruetest has the same ones.
const (
	defaultProviders     = "github,gitlab,google,bitbucket"
	defaultTokenLifetime = time.Hour
	defaultRefreshLife   = 30 * 24 * time.Hour
	defaultMailInterval  = 15 * time.Minute
	defaultMaxBodyBytes  = 1 << 20
)

// knownProviders are the OAuth providers gotruetest's /settings reports and
// /authorize accepts.
var knownProviders = gotruetest.KnownProviders()

const usageHeader = `gotruetest-server runs gotruetest, an in-memory GoTrue (Netlify Identity)
server, on a local port: the identity API at /.netlify/identity and the
mailbox (GET lists the mails as JSON, DELETE empties it) at /mailbox.

Usage:
  gotruetest-server [flags]
        serve until interrupted; print the API URL, the mailbox URL and the
        operator token
  gotruetest-server [flags] -- command [args...]
        run the command with GOTRUE_TEST_URL, GOTRUE_TEST_MAILBOX_URL and
        GOTRUE_TEST_OPERATOR_TOKEN in its environment, then stop and exit
        with its status

Flags:
`

// parseArgs reads the command line. Errors say which flag is wrong; run
// turns them into exit status 2.
func parseArgs(args []string, stderr io.Writer) (setup, error) {
	var (
		s         setup
		providers string
		origins   []string
	)
	c := &s.cfg
	fs := flag.NewFlagSet("gotruetest-server", flag.ContinueOnError)
	fs.StringVar(&s.addr, "addr", "127.0.0.1:0", "listen `address`; port 0 picks a free one")
	fs.StringVar(&c.JWTSecret, "jwt-secret", "", "HS256 `secret` that signs the access tokens (default: random per run, never shown)")
	fs.StringVar(&c.OperatorToken, "operator-token", "", "bearer `token` that is always an admin, like a Netlify function's clientContext.identity.token (default: random per run, printed)")
	fs.StringVar(&c.Audience, "audience", "", "aud of new users when a request has no X-JWT-AUD header")
	fs.BoolVar(&c.Autoconfirm, "autoconfirm", false, "confirm signups at once, without a mail")
	fs.BoolVar(&c.DisableSignup, "disable-signup", false, "answer /signup with 403, like an invite-only site")
	fs.DurationVar(&c.TokenLifetime, "token-lifetime", defaultTokenLifetime, "access token lifetime (> 0)")
	fs.DurationVar(&c.RefreshTokenLifetime, "refresh-token-lifetime", defaultRefreshLife, "how long a refresh token works after it was issued (> 0)")
	fs.DurationVar(&c.MailInterval, "mail-interval", defaultMailInterval, "minimum gap between two mails of one kind to one address (> 0; e.g. 1ms to all but lift the limit)")
	fs.StringVar(&c.SiteURL, "site-url", "", "`URL` that mail links and OAuth redirects lead to, e.g. http://127.0.0.1:8080")
	fs.StringVar(&providers, "providers", defaultProviders, "comma-separated `list` of enabled OAuth providers, of "+strings.Join(knownProviders, ", ")+"; -providers= enables none")
	fs.Func("allow-origin", "let pages on this `origin` (scheme://host[:port], or * for any) call the API with credentials; repeatable (default: * when none is given)", func(v string) error {
		if err := gotruetest.CheckOrigin(v); err != nil {
			return err
		}
		origins = append(origins, v)
		return nil
	})
	fs.BoolVar(&c.AppMetadataAdmins, "app-metadata-admins", false, "also count users whose app_metadata.roles holds \"admin\" as admins (netlify/gotrue checks only the role field)")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", defaultMaxBodyBytes, "request body limit in `bytes` (> 0); larger bodies get 413")
	// The flag package would print a parse error and then the whole usage;
	// run prints the error once, with a pointer to -h, instead.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprint(stderr, usageHeader)
			fs.PrintDefaults()
			return s, err
		}
		return s, fmt.Errorf("%w (see -h)", err)
	}
	s.command = fs.Args()

	switch {
	case c.TokenLifetime <= 0:
		return s, errors.New("-token-lifetime must be positive")
	case c.RefreshTokenLifetime <= 0:
		return s, errors.New("-refresh-token-lifetime must be positive")
	case c.MailInterval <= 0:
		return s, errors.New("-mail-interval must be positive (e.g. 1ms to all but lift the limit)")
	case c.MaxBodyBytes <= 0:
		return s, errors.New("-max-body-bytes must be positive")
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "jwt-secret":
			s.secretGiven = true
		case "operator-token":
			s.tokenGiven = true
		}
	})
	if s.secretGiven && c.JWTSecret == "" {
		return s, errors.New("-jwt-secret must not be empty")
	}
	if s.tokenGiven && c.OperatorToken == "" {
		return s, errors.New("-operator-token must not be empty")
	}
	if !s.tokenGiven {
		c.OperatorToken = randomHex(16)
	}
	if c.SiteURL != "" {
		if err := checkSiteURL(c.SiteURL); err != nil {
			return s, err
		}
	}
	var err error
	if c.ExternalProviders, err = parseProviders(providers); err != nil {
		return s, err
	}
	c.AllowedOrigins = origins
	if len(origins) == 0 {
		c.AllowedOrigins = []string{"*"}
	}
	return s, nil
}

// parseProviders splits the -providers list. It is never nil: gotruetest
// reads a nil list as the default one, and "" means none.
func parseProviders(list string) ([]string, error) {
	out := []string{}
	for p := range strings.SplitSeq(list, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if !slices.Contains(knownProviders, p) {
			return nil, fmt.Errorf("-providers: unknown provider %q (known: %s)", p, strings.Join(knownProviders, ", "))
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// checkSiteURL wants an absolute URL: mail links are SiteURL + "/#...".
func checkSiteURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("-site-url %q is not an absolute URL such as http://127.0.0.1:8080", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("-site-url %q: mail links append /#..., so leave out the query and fragment", s)
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
