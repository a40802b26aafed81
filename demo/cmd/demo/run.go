package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
)

// shutdownTimeout bounds how long Ctrl-C waits for requests in flight.
const shutdownTimeout = 5 * time.Second

// run serves until ctx is cancelled, then shuts down cleanly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.js == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		if o.js, err = devserver.FindJSDir(wd); err != nil {
			return err
		}
	}
	// Built before listening so that a missing gotrue.wasm fails at once.
	srv, err := devserver.New(devserver.Config{
		JSDir:          o.js,
		SiteDir:        o.site,
		IdentityURL:    o.identity,
		Autoconfirm:    o.autoconfirm,
		DisableSignup:  o.disableSignup,
		TokenLifetime:  o.tokenLifetime,
		AllowedOrigins: o.origins,
		OperatorToken:  o.operatorToken,
		Log:            log.New(stderr, "", log.Ltime),
	})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("%w (is another demo running? pick a port with -addr, or -addr 127.0.0.1:0 for any free one)", err)
		}
		return err
	}
	origin := originOf(ln.Addr())
	srv.SetSiteURL(origin) // only now is the port known (-addr :0)

	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(stderr, "http: ", log.Ltime),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	printBanner(stdout, o, origin, srv.OperatorToken())

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "shutting down…")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// originOf is the URL to open for a listening address: a wildcard host
// (":8080", "0.0.0.0:8080") is reachable as 127.0.0.1.
func originOf(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return "http://" + net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port))
}

// printBanner says where everything is. The operator token is printed,
// given or generated: it is this run's own throwaway credential, for the
// in-memory server only.
func printBanner(w io.Writer, o options, origin, operatorToken string) {
	fmt.Fprintf(w, "gotrue-wasm demo: open %s/\n", origin)
	fmt.Fprintf(w, "  loader    %s\n", o.js)
	if o.site != "" {
		fmt.Fprintf(w, "  site      %s (from disk)\n", o.site)
	}
	if o.identity != "" {
		fmt.Fprintf(w, "  identity  %s/.netlify/identity → %s (mails go to real inboxes; their links point at the real site)\n", origin, o.identity)
	} else {
		signup := "open"
		if o.disableSignup {
			signup = "disabled (invite only)"
		}
		fmt.Fprintf(w, "  identity  %s/.netlify/identity (in memory: autoconfirm %v, signup %s, tokens last %s)\n", origin, o.autoconfirm, signup, o.tokenLifetime)
		fmt.Fprintf(w, "  admin     %s / %s\n", devserver.AdminEmail, devserver.AdminPassword)
		fmt.Fprintf(w, "  operator  %s  (Bearer token for /admin/* and /invite)\n", operatorToken)
		if len(o.origins) > 0 {
			fmt.Fprintf(w, "  origins   %s may call the identity API too (CORS with credentials)\n", strings.Join(o.origins, ", "))
		}
		fmt.Fprintf(w, "  mailbox   %s%s\n", origin, devserver.MailboxPath)
		if o.tokenLifetime <= time.Minute {
			fmt.Fprintln(w, "  note      tokens shorter than the client's 60 s expiry margin are refreshed on every jwt() call")
		}
	}
	fmt.Fprintln(w, "Ctrl-C to stop.")
}
