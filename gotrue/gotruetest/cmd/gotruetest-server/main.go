// Command gotruetest-server runs a gotruetest server, the in-memory GoTrue
// (Netlify Identity), on localhost: for tests that cannot start one
// themselves (Go tests compiled to WebAssembly run in a browser page, where
// no server can listen), and stand-alone for trying a client against it.
//
//	gotruetest-server [flags]                      # serve until interrupted
//	gotruetest-server [flags] -- command args...   # serve around a command
//	gotruetest-server -h                           # the flags
//
// The identity API is served at /.netlify/identity and the mailbox at
// /mailbox. Every field of gotruetest.Config that makes sense on a command
// line has a flag: -jwt-secret, -operator-token, -audience, -autoconfirm,
// -disable-signup, -token-lifetime, -refresh-token-lifetime,
// -mail-interval, -site-url, -providers, -allow-origin (repeatable; CORS is
// open to any origin when none is given), -app-metadata-admins and
// -max-body-bytes. The JWT secret and the operator token are random per
// run unless given.
//
// Without a command, it prints the API's URL, the mailbox's URL and the
// operator token (its value only when it was generated) and serves until
// interrupted. With a command, it runs the command with GOTRUE_TEST_URL
// (the API's URL), GOTRUE_TEST_MAILBOX_URL and GOTRUE_TEST_OPERATOR_TOKEN
// in its environment, then stops and exits with the command's status; it
// writes one line to stderr and nothing to stdout. Bad flags exit with
// status 2.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gotruetest-server:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// Where things are on the server.
const (
	apiPath     = "/.netlify/identity"
	mailboxPath = "/mailbox"
)

// run serves, runs the command if any, and returns the exit code to use.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	s, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0, nil
	}
	if err != nil {
		return 2, err
	}

	idp := gotruetest.New(s.cfg)
	mux := http.NewServeMux()
	mux.Handle(apiPath+"/", http.StripPrefix(apiPath, idp))
	mux.Handle(mailboxPath, idp.MailboxHandler())

	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return 1, err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()

	base := "http://" + ln.Addr().String()
	if len(s.command) == 0 {
		printBanner(stdout, s, base)
		<-ctx.Done()
		return 0, nil
	}

	// stdout belongs to the command; one line on stderr, no token.
	fmt.Fprintf(stderr, "gotruetest-server: identity API at %s%s, mailbox at %s%s; running %s\n", base, apiPath, base, mailboxPath, s.command[0])
	cmd := exec.CommandContext(ctx, s.command[0], s.command[1:]...)
	cmd.Env = append(os.Environ(),
		"GOTRUE_TEST_URL="+base+apiPath,
		"GOTRUE_TEST_MAILBOX_URL="+base+mailboxPath,
		"GOTRUE_TEST_OPERATOR_TOKEN="+s.cfg.OperatorToken,
	)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	return 0, err
}

// printBanner says where the server is and how to be an admin. The
// operator token is shown only when it was generated here: the user has no
// other way to learn it. The JWT secret is never shown.
func printBanner(w io.Writer, s setup, base string) {
	operator := s.cfg.OperatorToken + "  (Bearer token for /admin/* and /invite)"
	if s.tokenGiven {
		operator = "(as given with -operator-token)"
	}
	secret := "JWT secret random per run, not shown (set one with -jwt-secret)"
	if s.secretGiven {
		secret = "JWT secret as given with -jwt-secret"
	}
	fmt.Fprintf(w, "gotruetest-server: serving until interrupted\n")
	fmt.Fprintf(w, "  api       %s%s\n", base, apiPath)
	fmt.Fprintf(w, "  mailbox   %s%s\n", base, mailboxPath)
	fmt.Fprintf(w, "  operator  %s\n", operator)
	fmt.Fprintf(w, "  secret    %s\n", secret)
}
