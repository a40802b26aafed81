//go:build js

package browser

import (
	"errors"
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
)

// LocalStorage is a gotrue.Storage over window.localStorage. Every call
// is guarded: localStorage throws where it is denied (a SecurityError) or
// full (a QuotaExceededError), and the core wants an error, not a panic.
type LocalStorage struct {
	s js.Value
}

var errNoLocalStorage = errors.New("window.localStorage is missing")

// NewLocalStorage returns the page's localStorage, or an error where it is
// missing or throws (private modes, sandboxed iframes, blocked cookies).
func NewLocalStorage() (*LocalStorage, error) { return localStorageFrom(js.Global()) }

func localStorageFrom(global js.Value) (*LocalStorage, error) {
	var l *LocalStorage
	err := Try(func() {
		s := Get(global, "localStorage") // the getter itself throws where storage is denied
		if s.Type() != js.TypeObject {
			return
		}
		// Reading is the probe: a full storage still holds a saved session.
		s.Call("getItem", gotrue.StorageKey)
		l = &LocalStorage{s: s}
	})
	if err == nil && l == nil {
		err = errNoLocalStorage
	}
	return l, err
}

// NewStorage returns localStorage or, where it is unavailable, a
// gotrue.MemoryStorage after one console.warn: the session then lasts as
// long as the page.
func NewStorage() gotrue.Storage { return storageFrom(js.Global(), Console{}) }

func storageFrom(global js.Value, log gotrue.Logger) gotrue.Storage {
	l, err := localStorageFrom(global)
	if err != nil {
		log.Warn("gotrue: localStorage is not available (" + err.Error() + "); the session is kept in memory only and ends with the page")
		return &gotrue.MemoryStorage{}
	}
	return l
}

// Get implements gotrue.Storage.
func (l *LocalStorage) Get(key string) (value string, ok bool, err error) {
	err = Try(func() {
		v := l.s.Call("getItem", key)
		if v.Type() == js.TypeString {
			value, ok = v.String(), true
		}
	})
	return value, ok, err
}

// Set implements gotrue.Storage.
func (l *LocalStorage) Set(key, value string) error {
	return Try(func() { l.s.Call("setItem", key, value) })
}

// Remove implements gotrue.Storage.
func (l *LocalStorage) Remove(key string) error {
	return Try(func() { l.s.Call("removeItem", key) })
}
