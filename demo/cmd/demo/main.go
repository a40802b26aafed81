// Command demo serves the gotrue-wasm playground on one origin, like a
// Netlify site: the demo page, the loader (js/), an identity API at
// /.netlify/identity (in memory, or proxied with -identity) and the
// in-memory server's mailbox at /mailbox.
//
//	go run ./demo/cmd/demo            # then open http://127.0.0.1:8080/
//	go run ./demo/cmd/demo -h         # flags
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case err != nil:
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}
