//go:build !js

// Package xtime is the part of package time that the core uses. Natively
// it is package time itself (type aliases, so the core's API and go doc
// keep time.Time and time.Duration); in the browser build (time_js.go) it
// is a small shim over Date.now and setTimeout, because linking package
// time, whose initialisation pulls in internal/godebug and the runtime's
// metrics, would add about 230 KB to gotrue.wasm.
package xtime

import "time"

type (
	Duration = time.Duration
	Time     = time.Time
	Timer    = time.Timer
	Ticker   = time.Ticker
)

const (
	Millisecond = time.Millisecond
	Second      = time.Second
	Minute      = time.Minute
)

func Now() Time                             { return time.Now() }
func UnixMilli(msec int64) Time             { return time.UnixMilli(msec) }
func NewTimer(d Duration) *Timer            { return time.NewTimer(d) }
func NewTicker(d Duration) *Ticker          { return time.NewTicker(d) }
func AfterFunc(d Duration, f func()) *Timer { return time.AfterFunc(d, f) }

// ParseTimestamp reads an RFC 3339 time, as the GoTrue server writes them.
func ParseTimestamp(s string) (Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}
