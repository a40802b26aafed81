package gotrue

import (
	"sync"

	context "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
	time "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"
)

// Request is one HTTP request as the client builds it.
type Request struct {
	Method string
	URL    string
	// Header holds the request headers with the names gotrue-js uses
	// (X-Nf-Client, Content-Type, X-JWT-AUD, Authorization, X-Use-Cookie).
	Header map[string]string
	Body   []byte
	// Credentials is "same-origin" when the API URL is relative, as fetch
	// needs to send the site's cookies, unless the call asked for other
	// credentials (see RequestOptions); empty for another origin.
	Credentials string
	// MaxBody is the largest answer body the client accepts, in bytes. A
	// transport should stop reading beyond it; the client refuses a
	// longer body whatever the transport does.
	MaxBody int
}

// Response is one HTTP answer.
type Response struct {
	Status     int
	StatusText string // "Bad Request", as fetch's Response.statusText
	Header     map[string]string
	Body       []byte
}

// ContentType returns the Content-Type header, whatever the case of its name.
func (r *Response) ContentType() string { return headerValue(r.Header, "Content-Type") }

// Transport sends one request and returns the answer. A network failure is
// an error; an HTTP error status is not. The client bounds every request
// in time through ctx (see Options.Timeout), so a transport needs no
// timeout of its own; it must give up when ctx ends.
type Transport interface {
	Do(ctx context.Context, req *Request) (*Response, error)
}

// TransportFunc adapts a function to Transport.
type TransportFunc func(ctx context.Context, req *Request) (*Response, error)

// Do calls f.
func (f TransportFunc) Do(ctx context.Context, req *Request) (*Response, error) { return f(ctx, req) }

// Storage keeps strings by key, as localStorage does. Get reports whether
// the key exists. Errors (a full or disabled storage) are reported, never
// fatal: the client goes on with the user in memory.
type Storage interface {
	Get(key string) (value string, ok bool, err error)
	Set(key, value string) error
	Remove(key string) error
}

// MemoryStorage is a Storage in memory, safe for concurrent use. The zero
// value is ready to use.
type MemoryStorage struct {
	mu sync.Mutex
	m  map[string]string
}

// Get implements Storage.
func (s *MemoryStorage) Get(key string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	return v, ok, nil
}

// Set implements Storage.
func (s *MemoryStorage) Set(key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string]string)
	}
	s.m[key] = value
	return nil
}

// Remove implements Storage.
func (s *MemoryStorage) Remove(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// ClockFunc adapts a function to Clock.
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Locker takes a lock shared with other processes that use the same storage
// (in the browser: other tabs, through the Web Locks API). Lock blocks until
// the lock is held or ctx ends; release must be called exactly once.
// queued reports whether another holder had the lock when Lock asked, so
// that it had to wait: that holder may just have saved the very token the
// caller came to refresh.
type Locker interface {
	Lock(ctx context.Context, name string) (release func(), queued bool, err error)
}

// NewProcessLocker returns a Locker within this process only: all a native
// program sharing a MemoryStorage needs, and the fallback of a browser
// without Web Locks.
func NewProcessLocker() Locker { return &processLocker{} }

type processLocker struct {
	mu    sync.Mutex
	locks map[string]chan struct{}
}

func (l *processLocker) Lock(ctx context.Context, name string) (func(), bool, error) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = make(map[string]chan struct{})
	}
	ch, ok := l.locks[name]
	if !ok {
		ch = make(chan struct{}, 1)
		l.locks[name] = ch
	}
	l.mu.Unlock()
	var once sync.Once
	release := func() { once.Do(func() { <-ch }) }
	select { // a free lock is taken without queueing
	case ch <- struct{}{}:
		return release, false, nil
	default:
	}
	select {
	case ch <- struct{}{}:
		return release, true, nil
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

// Logger receives the warnings and errors gotrue-js prints to the console.
// Messages never contain a token or a password.
type Logger interface {
	Warn(msg string)
	Error(msg string)
}

type nopLogger struct{}

func (nopLogger) Warn(string)  {}
func (nopLogger) Error(string) {}
