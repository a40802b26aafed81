//go:build js

package browser

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
)

// jsFunc makes a JavaScript function for a test stub (a test page has no
// Content-Security-Policy).
func jsFunc(params, body string) js.Value {
	return js.Global().Get("Function").New(params, body)
}

// ---- storage: one table of scenarios, run against both implementations.

var storageScenarios = []struct {
	name string
	run  func(t *testing.T, s gotrue.Storage)
}{
	{"missing key", func(t *testing.T, s gotrue.Storage) {
		if v, ok, err := s.Get("gotrue.test.missing"); err != nil || ok || v != "" {
			t.Fatalf("Get = %q, %v, %v; want \"\", false, nil", v, ok, err)
		}
	}},
	{"set then get", func(t *testing.T, s gotrue.Storage) {
		mustSet(t, s, "gotrue.test.a", "1")
		wantGet(t, s, "gotrue.test.a", "1")
	}},
	{"overwrite", func(t *testing.T, s gotrue.Storage) {
		mustSet(t, s, "gotrue.test.a", "1")
		mustSet(t, s, "gotrue.test.a", "2")
		wantGet(t, s, "gotrue.test.a", "2")
	}},
	{"empty value is present", func(t *testing.T, s gotrue.Storage) {
		mustSet(t, s, "gotrue.test.empty", "")
		wantGet(t, s, "gotrue.test.empty", "")
	}},
	{"remove", func(t *testing.T, s gotrue.Storage) {
		mustSet(t, s, "gotrue.test.a", "1")
		if err := s.Remove("gotrue.test.a"); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.Get("gotrue.test.a"); ok {
			t.Fatal("the key is still there after Remove")
		}
	}},
	{"remove a missing key", func(t *testing.T, s gotrue.Storage) {
		if err := s.Remove("gotrue.test.never"); err != nil {
			t.Fatal(err)
		}
	}},
	{"keys are independent", func(t *testing.T, s gotrue.Storage) {
		mustSet(t, s, "gotrue.test.a", "A")
		mustSet(t, s, "gotrue.test.b", "B")
		_ = s.Remove("gotrue.test.a")
		wantGet(t, s, "gotrue.test.b", "B")
	}},
	{"session JSON round-trips byte for byte", func(t *testing.T, s gotrue.Storage) {
		v := `{"token":{"access_token":"a.b.c","expires_at":1700000000000},"url":"/.netlify/identity","audience":"","email":"zoë+\u2028<&>@example.com","user_metadata":{"full_name":"\"Q\" \n 😀"}}`
		mustSet(t, s, gotrue.StorageKey, v)
		wantGet(t, s, gotrue.StorageKey, v)
	}},
}

func mustSet(t *testing.T, s gotrue.Storage, k, v string) {
	t.Helper()
	if err := s.Set(k, v); err != nil {
		t.Fatalf("Set(%q): %v", k, err)
	}
}

func wantGet(t *testing.T, s gotrue.Storage, k, want string) {
	t.Helper()
	v, ok, err := s.Get(k)
	if err != nil || !ok || v != want {
		t.Fatalf("Get(%q) = %q, %v, %v; want %q, true, nil", k, v, ok, err, want)
	}
}

func TestStorage(t *testing.T) {
	ls, err := NewLocalStorage()
	if err != nil {
		t.Fatalf("NewLocalStorage: %v", err)
	}
	impls := []struct {
		name string
		new  func() gotrue.Storage
	}{
		{"MemoryStorage", func() gotrue.Storage { return &gotrue.MemoryStorage{} }},
		{"LocalStorage", func() gotrue.Storage {
			js.Global().Get("localStorage").Call("clear")
			return ls
		}},
	}
	for _, impl := range impls {
		for _, sc := range storageScenarios {
			t.Run(impl.name+"/"+sc.name, func(t *testing.T) { sc.run(t, impl.new()) })
		}
	}
	js.Global().Get("localStorage").Call("clear")
}

// A throwing localStorage (full, denied) gives errors, never a panic.
func TestLocalStorageThrows(t *testing.T) {
	ls, err := NewLocalStorage()
	if err != nil {
		t.Fatal(err)
	}
	proto := js.Global().Get("Storage").Get("prototype")
	for _, method := range []string{"setItem", "getItem", "removeItem"} {
		t.Run(method, func(t *testing.T) {
			orig := proto.Get(method)
			proto.Set(method, jsFunc("", "throw new DOMException('the quota has been exceeded', 'QuotaExceededError')"))
			defer proto.Set(method, orig)
			var err error
			switch method {
			case "setItem":
				err = ls.Set("gotrue.test", "x")
			case "getItem":
				_, _, err = ls.Get("gotrue.test")
			case "removeItem":
				err = ls.Remove("gotrue.test")
			}
			var je *JSError
			if !errors.As(err, &je) || je.Value.Get("name").String() != "QuotaExceededError" {
				t.Fatalf("err = %v; want the QuotaExceededError as a *JSError", err)
			}
			if err.Error() != "the quota has been exceeded" {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

type recordingLog struct{ warns, errs []string }

func (l *recordingLog) Warn(m string)  { l.warns = append(l.warns, m) }
func (l *recordingLog) Error(m string) { l.errs = append(l.errs, m) }

func TestStorageFallback(t *testing.T) {
	denied := jsFunc("", "return Object.defineProperty({}, 'localStorage', {get() { throw new DOMException('access is denied', 'SecurityError'); }})").Invoke()
	for name, global := range map[string]js.Value{
		"missing": js.Global().Get("Object").New(),
		"denied":  denied,
	} {
		t.Run(name, func(t *testing.T) {
			log := &recordingLog{}
			s := storageFrom(global, log)
			if _, ok := s.(*gotrue.MemoryStorage); !ok {
				t.Fatalf("storage = %T; want *gotrue.MemoryStorage", s)
			}
			if len(log.warns) != 1 || !strings.Contains(log.warns[0], "localStorage is not available") {
				t.Fatalf("warnings = %q; want one", log.warns)
			}
			if len(log.errs) != 0 {
				t.Fatalf("errors = %q", log.errs)
			}
		})
	}
	log := &recordingLog{}
	if s := storageFrom(js.Global(), log); func() bool { _, ok := s.(*LocalStorage); return !ok }() || len(log.warns) != 0 {
		t.Fatalf("the page's localStorage was not used (warnings %q)", log.warns)
	}
}

// ---- fetch

func TestFetchDataURL(t *testing.T) {
	resp, err := (&FetchTransport{}).Do(context.Background(), &gotrue.Request{Method: "GET", URL: `data:application/json,{"a":1}`})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || resp.ContentType() != "application/json" || string(resp.Body) != `{"a":1}` {
		t.Fatalf("resp = %d %q %q", resp.Status, resp.ContentType(), resp.Body)
	}
}

// The test page's own server answers /wasm_exec.js: a real HTTP round trip.
func TestFetchSameOrigin(t *testing.T) {
	resp, err := (&FetchTransport{}).Do(context.Background(), &gotrue.Request{Method: "GET", URL: "/wasm_exec.js", Credentials: "same-origin"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || resp.StatusText != "OK" || !strings.Contains(resp.ContentType(), "javascript") || !strings.Contains(string(resp.Body), "globalThis.Go") {
		t.Fatalf("resp = %d %q %q, %d bytes", resp.Status, resp.StatusText, resp.ContentType(), len(resp.Body))
	}
}

// A stub fetch shows what the transport passes and reads.
func TestFetchRequestAndResponse(t *testing.T) {
	seen := js.Global().Get("Object").New()
	stub := jsFunc("seen", `return (url, opt) => {
		seen.url = url; seen.opt = opt;
		seen.body = opt.body;
		return Promise.resolve(new Response('I am short', {status: 418, statusText: "I'm a teapot",
			headers: [['Content-Type', 'text/plain'], ['X-Total-Count', '3'], ['Link', '</u?page=2>; rel="next", </u?page=9>; rel="last"'], ['X-Twice', 'a,b'], ['X-Twice', 'c']]}));
	}`).Invoke(seen)
	tr := &FetchTransport{Fetch: stub}
	resp, err := tr.Do(context.Background(), &gotrue.Request{
		Method:      "POST",
		URL:         "https://example.com/token",
		Header:      map[string]string{"Content-Type": "application/x-www-form-urlencoded", "X-Nf-Client": "gotrue-js"},
		Body:        []byte("grant_type=password&username=a%40b"),
		Credentials: "same-origin",
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 418 || resp.StatusText != "I'm a teapot" || string(resp.Body) != "I am short" {
		t.Fatalf("resp = %d %q %q", resp.Status, resp.StatusText, resp.Body)
	}
	if resp.Header["x-total-count"] != "3" || resp.ContentType() != "text/plain" || len(resp.Header) != 4 ||
		resp.Header["link"] != `</u?page=2>; rel="next", </u?page=9>; rel="last"` || resp.Header["x-twice"] != "a,b, c" {
		t.Fatalf("headers = %v", resp.Header)
	}
	opt := seen.Get("opt")
	if seen.Get("url").String() != "https://example.com/token" || opt.Get("method").String() != "POST" ||
		opt.Get("credentials").String() != "same-origin" || seen.Get("body").String() != "grant_type=password&username=a%40b" {
		t.Fatalf("fetch saw %s %s", js.Global().Get("JSON").Call("stringify", opt).String(), seen.Get("url").String())
	}
	if h := opt.Get("headers"); h.Get("X-Nf-Client").String() != "gotrue-js" || h.Get("Content-Type").String() != "application/x-www-form-urlencoded" {
		t.Fatalf("headers sent = %s", js.Global().Get("JSON").Call("stringify", h).String())
	}
	if !opt.Get("signal").InstanceOf(js.Global().Get("AbortSignal")) {
		t.Fatal("no AbortSignal passed to fetch")
	}

	// No body, no credentials: neither is set. Bytes that are not UTF-8
	// go as a Uint8Array.
	_, _ = tr.Do(context.Background(), &gotrue.Request{Method: "GET", URL: "https://example.com/user"})
	if o := seen.Get("opt"); !o.Get("body").IsUndefined() || !o.Get("credentials").IsUndefined() {
		t.Fatal("body or credentials set for a bare GET")
	}
	_, _ = tr.Do(context.Background(), &gotrue.Request{Method: "PUT", URL: "https://example.com/x", Body: []byte{0xff, 0x00, 0xfe}})
	if b := seen.Get("body"); !b.InstanceOf(js.Global().Get("Uint8Array")) || b.Length() != 3 || b.Index(0).Int() != 0xff {
		t.Fatal("binary body not passed as a Uint8Array")
	}
}

func TestFetchNetworkError(t *testing.T) {
	_, err := (&FetchTransport{}).Do(context.Background(), &gotrue.Request{Method: "GET", URL: "http://127.0.0.1:1/"})
	var je *JSError
	if !errors.As(err, &je) || !je.Value.InstanceOf(js.Global().Get("TypeError")) {
		t.Fatalf("err = %#v; want the browser's TypeError", err)
	}
	if err.Error() == "" {
		t.Fatal("empty message")
	}
}

func TestFetchThrowsSynchronously(t *testing.T) {
	stub := jsFunc("", "throw new TypeError('Invalid header value')")
	_, err := (&FetchTransport{Fetch: stub}).Do(context.Background(), &gotrue.Request{Method: "GET", URL: "/x"})
	var je *JSError
	if !errors.As(err, &je) || err.Error() != "Invalid header value" {
		t.Fatalf("err = %v", err)
	}
}

func TestFetchSizeCap(t *testing.T) {
	t.Run("read", func(t *testing.T) {
		// The transport reads a body without Content-Length; the client
		// refuses it.
		c := gotrue.New("data:text/plain,", gotrue.Options{Transport: &FetchTransport{}, MaxBody: 4})
		_, err := c.Request(context.Background(), "hello", gotrue.RequestOptions{})
		var ie *gotrue.InvalidAnswerError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "larger than the 4 bytes") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("announced", func(t *testing.T) {
		read := js.Global().Get("Object").New()
		stub := jsFunc("read", `return () => {
			const r = new Response('0123456789', {headers: {'Content-Length': '10485760'}});
			const ab = r.arrayBuffer.bind(r);
			r.arrayBuffer = () => { read.yes = true; return ab(); };
			return Promise.resolve(r);
		}`).Invoke(read)
		_, err := (&FetchTransport{Fetch: stub}).Do(context.Background(), &gotrue.Request{Method: "GET", URL: "/big", MaxBody: gotrue.DefaultMaxBody})
		var ie *gotrue.InvalidAnswerError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "8 MiB") {
			t.Fatalf("err = %v", err)
		}
		if read.Get("yes").Truthy() {
			t.Fatal("the body was read although Content-Length was over the cap")
		}
	})
}

// hangingFetch never answers, and rejects once its signal aborts.
func hangingFetch(seen js.Value) js.Value {
	return jsFunc("seen", `return (url, opt) => new Promise((resolve, reject) => {
		seen.signal = opt.signal;
		opt.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
	})`).Invoke(seen)
}

func TestFetchContext(t *testing.T) {
	t.Run("deadline aborts", func(t *testing.T) {
		seen := js.Global().Get("Object").New()
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := (&FetchTransport{Fetch: hangingFetch(seen)}).Do(ctx, &gotrue.Request{Method: "GET", URL: "/slow"})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
		if !seen.Get("signal").Get("aborted").Bool() {
			t.Fatal("fetch was not aborted")
		}
	})
	t.Run("the client's timeout", func(t *testing.T) {
		seen := js.Global().Get("Object").New()
		start := time.Now()
		c := gotrue.New("/", gotrue.Options{Transport: &FetchTransport{Fetch: hangingFetch(seen)}, Timeout: 50e6}) // 50 ms
		_, err := c.Settings(Background())
		if !errors.Is(err, gotrue.ErrTimeout) || time.Since(start) > 5*time.Second {
			t.Fatalf("err = %v after %v", err, time.Since(start))
		}
		if !seen.Get("signal").Get("aborted").Bool() {
			t.Fatal("fetch was not aborted")
		}
	})
	t.Run("cancelled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := (&FetchTransport{}).Do(ctx, &gotrue.Request{Method: "GET", URL: "data:,x"})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	})
}

// ---- Web Locks

func TestWebLocks(t *testing.T) {
	l := NewLocker()
	if _, ok := l.(*WebLocks); !ok {
		t.Fatal("navigator.locks is missing in Chromium")
	}
	ctx := context.Background()
	const name = "gotrue.test.lock"
	release, queued, err := l.Lock(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if queued {
		t.Fatal("a free lock was reported queued")
	}

	// A second taker waits, and gives up when its ctx ends: in this page
	// (the same WebLocks) as in another (another WebLocks, which the lock
	// manager cannot tell from another tab).
	for _, other := range []gotrue.Locker{l, NewLocker()} {
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		if _, _, err := other.Lock(short, name); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("second Lock: %v; want DeadlineExceeded", err)
		}
		cancel()
		if n := pendingLocks(t, name); n != 0 {
			t.Fatalf("%d requests still pending after the abort", n)
		}
	}

	// Another tab queues, and gets it as soon as the first lets go.
	got := lockAsync(NewLocker(), name)
	awaitPending(t, name, 1)
	select {
	case <-got:
		t.Fatal("the lock was granted twice")
	default:
	}
	release()
	release() // a second release is harmless
	wantQueuedGrant(t, got)
	awaitFree(t, name) // the other's release is asynchronous too

	// This page takes it again and again right after letting go: it waits
	// for its own release to be done, and is never queued behind itself.
	for i := 0; i < 20; i++ {
		mine, queued, err := l.Lock(ctx, name)
		if err != nil || queued {
			t.Fatalf("lock %d right after this page's own release: queued %v, %v; want not queued", i, queued, err)
		}
		mine()
	}
	if webLocksFrom(js.Global().Get("Object").New()) != nil {
		t.Fatal("WebLocks made without navigator.locks")
	}
}

// A lock another tab holds (here: JavaScript of this page, which Web
// Locks cannot tell apart) is reported queued once granted.
func TestWebLocksHeldElsewhere(t *testing.T) {
	const name = "gotrue.test.elsewhere"
	holding := make(chan struct{})
	onHeld := js.FuncOf(func(js.Value, []js.Value) any { close(holding); return nil })
	defer onHeld.Release()
	jsFunc("name, onHeld", `navigator.locks.request(name, () => new Promise(r => { globalThis.gotrueTestRelease = r; onHeld(); }))`).Invoke(name, onHeld)
	select {
	case <-holding:
	case <-time.After(5 * time.Second):
		t.Fatal("the page's lock was not granted")
	}
	got := lockAsync(NewLocker(), name)
	awaitPending(t, name, 1)
	js.Global().Call("gotrueTestRelease")
	wantQueuedGrant(t, got)
}

type lockResult struct {
	release func()
	queued  bool
	err     error
}

func lockAsync(l gotrue.Locker, name string) <-chan lockResult {
	got := make(chan lockResult, 1)
	go func() {
		r, q, err := l.Lock(context.Background(), name)
		got <- lockResult{r, q, err}
	}()
	return got
}

func wantQueuedGrant(t *testing.T, got <-chan lockResult) {
	t.Helper()
	select {
	case r := <-got:
		if r.err != nil {
			t.Fatal(r.err)
		}
		r.release()
		if !r.queued {
			t.Fatal("a lock granted after waiting was not reported queued")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting Lock was not granted after release")
	}
}

// awaitPending polls until n requests for name wait in the lock manager.
func awaitPending(t *testing.T, name string, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); pendingLocks(t, name) != n; {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests for %s never came to wait", n, name)
		}
	}
}

func pendingLocks(t *testing.T, name string) int { return countLocks(t, name, "pending") }

// awaitFree polls until nobody holds name.
func awaitFree(t *testing.T, name string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); countLocks(t, name, "held") != 0; {
		if time.Now().After(deadline) {
			t.Fatalf("%s is never let go of", name)
		}
	}
}

// countLocks counts the requests for name in navigator.locks.query()'s
// list of that kind ("pending" or "held").
func countLocks(t *testing.T, name, kind string) int {
	t.Helper()
	q, err := Await(context.Background(), js.Global().Get("navigator").Get("locks").Call("query"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	p := q.Get(kind)
	for i := 0; i < p.Length(); i++ {
		if p.Index(i).Get("name").String() == name {
			n++
		}
	}
	return n
}

// ---- console

func TestConsole(t *testing.T) {
	console := js.Global().Get("console")
	seen := js.Global().Get("Array").New()
	for _, m := range []string{"warn", "error"} {
		orig := console.Get(m)
		console.Set(m, jsFunc("seen", "return (...a) => { seen.push(a); }").Invoke(seen))
		defer console.Set(m, orig)
	}
	Console{}.Warn("Warning:\n\nDO NOT USE HTTP")
	Console{}.Error("Gotrue-js: Error recovering session: x")
	if seen.Length() != 2 {
		t.Fatalf("%d console calls", seen.Length())
	}
	if w := seen.Index(0).Index(0); w.Type() != js.TypeString || w.String() != "Warning:\n\nDO NOT USE HTTP" {
		t.Fatalf("warn got %v", w)
	}
	e := seen.Index(1).Index(0)
	if !e.InstanceOf(js.Global().Get("Error")) || e.Get("message").String() != "Gotrue-js: Error recovering session: x" {
		t.Fatalf("error got %v", e)
	}
}

// ---- storage event

func TestOnStorageChange(t *testing.T) {
	var got []string
	stop := OnStorageChange(gotrue.StorageKey, func(oldValue, newValue string) { got = append(got, oldValue+"→"+newValue) })
	dispatch := func(key, oldValue, newValue any) {
		init := js.Global().Get("Object").New()
		init.Set("key", key)
		init.Set("oldValue", oldValue)
		init.Set("newValue", newValue)
		js.Global().Call("dispatchEvent", js.Global().Get("StorageEvent").New("storage", init))
	}
	dispatch("other.key", "a", "b")
	if len(got) != 0 {
		t.Fatalf("called for another key")
	}
	dispatch(gotrue.StorageKey, nil, "new")
	if len(got) != 1 || got[0] != "→new" {
		t.Fatalf("got %q after a change of the key", got)
	}
	dispatch(nil, nil, nil) // localStorage.clear() in another tab
	if len(got) != 2 || got[1] != "→" {
		t.Fatalf("got %q after a clear", got)
	}
	stop()
	dispatch(gotrue.StorageKey, "x", "y")
	if len(got) != 2 {
		t.Fatal("called after stop")
	}
	// A panicking handler does not end the program.
	stop = OnStorageChange("k", func(string, string) { panic("boom") })
	defer stop()
	dispatch("k", "a", "b")
}

func TestVisibility(t *testing.T) {
	// Headless Chrome's test page is shown.
	if !Visible() {
		t.Fatal("Visible() = false on a shown page")
	}
	var seen []bool
	stop := OnVisibilityChange(func(v bool) { seen = append(seen, v) })
	js.Global().Get("document").Call("dispatchEvent", js.Global().Get("Event").New("visibilitychange"))
	if len(seen) != 1 || !seen[0] {
		t.Fatalf("seen %v after a visibilitychange", seen)
	}
	stop()
	js.Global().Get("document").Call("dispatchEvent", js.Global().Get("Event").New("visibilitychange"))
	if len(seen) != 1 {
		t.Fatal("called after stop")
	}
}

// ---- helpers

func TestTry(t *testing.T) {
	err := Try(func() { js.Global().Call("eval", "throw new RangeError('nope')") })
	var je *JSError
	if !errors.As(err, &je) || !je.Value.InstanceOf(js.Global().Get("RangeError")) || err.Error() != "nope" {
		t.Fatalf("err = %v", err)
	}
	err = Try(func() { js.Global().Get("undefined-thing").Get("x") })
	var pe *PanicError
	if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "gotrue: internal error: ") {
		t.Fatalf("err = %v", err)
	}
	if err := Try(func() { panic("plain") }); err == nil || err.Error() != "gotrue: internal error: plain" {
		t.Fatalf("err = %v", err)
	}
	if err := (&JSError{Value: js.ValueOf("a string")}); err.Error() != "a string" {
		t.Fatalf("Error() = %q", err.Error())
	}
}

func TestAwait(t *testing.T) {
	ctx := context.Background()
	v, err := Await(ctx, js.Global().Get("Promise").Call("resolve", 42))
	if err != nil || v.Int() != 42 {
		t.Fatalf("resolve: %v %v", v, err)
	}
	_, err = Await(ctx, js.Global().Get("Promise").Call("reject", js.Global().Get("Error").New("no")))
	if err == nil || err.Error() != "no" {
		t.Fatalf("reject: %v", err)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	never := js.Global().Get("Promise").New(jsFunc("", ""))
	if _, err := Await(short, never); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("never: %v", err)
	}
}

// Every browser-only file says so: the package must not break a native
// build (the idea of hack-pad/safejs's wasm_tags_test.go).
func TestBuildTags(t *testing.T) {
	for _, dir := range []string{".", ".."} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s (%v)", dir, err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(b), "//go:build js\n") {
				t.Errorf("%s does not start with //go:build js", f)
			}
		}
	}
}
