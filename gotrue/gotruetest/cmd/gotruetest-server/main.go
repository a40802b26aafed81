// Command gotruetest-server runs a gotruetest server on localhost for tests
// that cannot start one themselves: Go tests compiled to WebAssembly run in
// a browser page, where no server can listen.
//
//	gotruetest-server [-addr 127.0.0.1:0] [-- command args...]
//
// The identity API is served at /.netlify/identity and the mailbox at
// /mailbox, with CORS open to any origin. With a command, the server runs
// the command with GOTRUE_TEST_URL (the API's URL), GOTRUE_TEST_MAILBOX_URL
// and GOTRUE_TEST_OPERATOR_TOKEN in its environment, then stops and exits
// with the command's status. Without one, it serves until interrupted.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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

// run serves, runs the command if any, and returns the exit code to use.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("gotruetest-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	lifetime := fs.Duration("token-lifetime", time.Hour, "access token lifetime")
	if err := fs.Parse(args); err != nil {
		return 2, err
	}

	operator := randomHex(16)
	idp := gotruetest.New(gotruetest.Config{
		AllowedOrigins: []string{"*"},
		OperatorToken:  operator,
		TokenLifetime:  *lifetime,
	})
	mux := http.NewServeMux()
	mux.Handle("/.netlify/identity/", http.StripPrefix("/.netlify/identity", idp))
	mux.Handle("/mailbox", idp.MailboxHandler())

	ln, err := net.Listen("tcp", *addr)
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
	env := []string{
		"GOTRUE_TEST_URL=" + base + "/.netlify/identity",
		"GOTRUE_TEST_MAILBOX_URL=" + base + "/mailbox",
		"GOTRUE_TEST_OPERATOR_TOKEN=" + operator,
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stdout, "gotruetest-server: identity API at", base+"/.netlify/identity", "mailbox at", base+"/mailbox")
		<-ctx.Done()
		return 0, nil
	}

	cmd := exec.CommandContext(ctx, fs.Arg(0), fs.Args()[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	return 0, err
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
