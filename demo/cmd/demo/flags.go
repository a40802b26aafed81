package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// options are the command line flags.
type options struct {
	addr          string
	autoconfirm   bool
	disableSignup bool
	tokenLifetime time.Duration
	identity      string
	site          string
	js            string
	origins       []string // -allow-origin, in order
	operatorToken string   // "" means a random one per run
}

// proxyHint says, for each embedded-only flag, what to do instead with
// -identity.
var proxyHint = map[string]string{
	"autoconfirm":    "change it in the real site's settings",
	"disable-signup": "change it in the real site's settings",
	"token-lifetime": "change it in the real site's settings",
	"allow-origin":   "the page calls the API through this origin, and the real site answers CORS for other pages itself",
	"operator-token": "the real site's is context.clientContext.identity.token in a Netlify Function",
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen `address`; :0 picks a free port")
	fs.BoolVar(&o.autoconfirm, "autoconfirm", false, "confirm signups at once, without a mail (embedded identity only)")
	fs.BoolVar(&o.disableSignup, "disable-signup", false, "answer /signup with 403, like an invite-only site (embedded identity only)")
	fs.DurationVar(&o.tokenLifetime, "token-lifetime", time.Hour, "access token lifetime, e.g. 90s to watch expiry and refresh (embedded identity only)")
	fs.StringVar(&o.identity, "identity", "", "proxy /.netlify/identity to this GoTrue `URL`, e.g. https://example.netlify.app/.netlify/identity")
	fs.StringVar(&o.site, "site", "", "serve the demo site from this `folder` instead of the embedded copy (edit and reload)")
	fs.Func("allow-origin", "let pages on this `origin` (scheme://host[:port], or * for any) call the identity API with credentials, besides the demo's own; repeatable (embedded identity only)", func(v string) error {
		if err := gotruetest.CheckOrigin(v); err != nil {
			return err
		}
		o.origins = append(o.origins, v)
		return nil
	})
	fs.StringVar(&o.operatorToken, "operator-token", "", "bearer `token` that is always an admin, for /admin/* and /invite, like a Netlify function's clientContext.identity.token (default: random per run; printed; embedded identity only)")
	fs.StringVar(&o.js, "js", "", "the loader `folder` holding gotrue.mjs and gotrue.wasm (default: js/ of the repository around the working directory)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: demo [flags]\n\nServes the gotrue-wasm playground. Flags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (flags only; see -h)", fs.Arg(0))
	}
	if o.tokenLifetime <= 0 {
		return o, errors.New("-token-lifetime must be positive")
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["operator-token"] && o.operatorToken == "" {
		return o, errors.New("-operator-token must not be empty")
	}
	if o.identity != "" {
		for _, name := range []string{"autoconfirm", "disable-signup", "token-lifetime", "allow-origin", "operator-token"} {
			if set[name] {
				return o, fmt.Errorf("-%s only configures the embedded identity server; with -identity, %s", name, proxyHint[name])
			}
		}
	}
	return o, nil
}
