//go:build !js

// Package xcontext is the part of package context that the core uses.
// Natively it is package context itself (type aliases, so the core's API
// and go doc keep context.Context); in the browser build (context_js.go)
// it is a small shim over xtime's setTimeout timers, because package
// context links package time, which would add about 230 KB to
// gotrue.wasm.
package xcontext

import (
	"context"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"
)

type (
	Context    = context.Context
	CancelFunc = context.CancelFunc
)

var (
	Canceled         = context.Canceled
	DeadlineExceeded = context.DeadlineExceeded
)

func Background() Context { return context.Background() }

func WithTimeout(parent Context, d xtime.Duration) (Context, CancelFunc) {
	return context.WithTimeout(parent, d)
}
