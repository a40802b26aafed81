package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
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
	if o.identity != "" {
		var embeddedOnly []string
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "autoconfirm", "disable-signup", "token-lifetime":
				embeddedOnly = append(embeddedOnly, "-"+f.Name)
			}
		})
		if len(embeddedOnly) > 0 {
			return o, fmt.Errorf("%s only configures the embedded identity server; with -identity, change it in the real site's settings", embeddedOnly[0])
		}
	}
	return o, nil
}
