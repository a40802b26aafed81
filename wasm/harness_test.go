//go:build js

package main

// The tests load the class shells (js/gotrue-core.js) into the test page
// and drive the exports as a page does, through js.Global().
//
// They need a GoTrue server that allows the test page's origin (CORS),
// such as gotruetest, named by environment variables that wasmbrowsertest
// forwards into the page:
//
//	GOTRUE_TEST_URL             the API, e.g. http://127.0.0.1:8999 (required; tests skip without it)
//	GOTRUE_TEST_MAILBOX_URL     gotruetest's MailboxHandler (confirm, recover, invite tests)
//	GOTRUE_TEST_OPERATOR_TOKEN  gotruetest's OperatorToken (admin and invite tests)
//
// The tests that need one of them skip when it is missing, unless
// GOTRUE_TEST_REQUIRED (set by `make test-browser`) or CI is set: then
// they fail, so that a misconfigured run cannot pass having run nothing.

import (
	"context"
	"os"
	"strconv"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

var (
	testBindings  *bindings
	apiURL        = os.Getenv("GOTRUE_TEST_URL")
	mailboxURL    = os.Getenv("GOTRUE_TEST_MAILBOX_URL")
	operatorToken = os.Getenv("GOTRUE_TEST_OPERATOR_TOKEN")
)

func TestMain(m *testing.M) {
	if err := setup(); err != nil {
		println("setup: " + err.Error())
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// setup registers the exports and evaluates the shells as the loader
// would: wasmbrowsertest's page reads files of the host through its fs
// shim, relative to the package directory.
func setup() error {
	testBindings = register(js.Global())
	src, err := os.ReadFile("../js/gotrue-core.js")
	if err != nil {
		return err
	}
	blob := js.Global().Get("Blob").New([]any{string(src)}, map[string]any{"type": "text/javascript"})
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	mod, err := browser.Await(context.Background(), jsFunc("u", "return import(u)").Invoke(url))
	if err != nil {
		return err
	}
	classes := mod.Call("defineGoTrue", js.Global().Get(bridgeName))
	for _, name := range []string{"GoTrue", "User", "Admin", "HTTPError", "TextHTTPError", "JSONHTTPError"} {
		js.Global().Set(name, classes.Get(name))
	}
	return nil
}

// ---- JavaScript helpers

func jsFunc(params, body string) js.Value { return js.Global().Get("Function").New(params, body) }

// jsEval runs body with args bound to a, b, c, ….
func jsEval(body string, args ...any) js.Value {
	return jsFunc("a,b,c,d", body).Invoke(args...)
}

func class(name string) js.Value { return js.Global().Get(name) }

func jsonOf(v js.Value) string { return js.Global().Get("JSON").Call("stringify", v).String() }

func isPromise(v js.Value) bool { return v.InstanceOf(js.Global().Get("Promise")) }

// await waits for a Promise that must resolve.
func await(t *testing.T, p js.Value) js.Value {
	t.Helper()
	if !isPromise(p) {
		t.Fatalf("not a Promise: %v", p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, err := browser.Await(ctx, p)
	if err != nil {
		t.Fatalf("rejected: %v", describeErr(err))
	}
	return v
}

// rejection waits for a Promise that must reject and returns the reason.
func rejection(t *testing.T, p js.Value) js.Value {
	t.Helper()
	if !isPromise(p) {
		t.Fatalf("not a Promise: %v", p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, err := browser.Await(ctx, p)
	je, ok := err.(*browser.JSError)
	if !ok {
		t.Fatalf("resolved with %v (err %v); want a rejection", v, err)
	}
	return je.Value
}

func describeErr(err error) string {
	if je, ok := err.(*browser.JSError); ok {
		return jsEval("return String(a && a.name) + ': ' + String(a && a.message)", je.Value).String()
	}
	return err.Error()
}

// throws calls method on obj and returns what it throws (undefined if
// nothing) and what it returns.
func throws(obj js.Value, method string, args ...any) (thrown, result js.Value) {
	err := browser.Try(func() { result = obj.Call(method, args...) })
	if je, ok := err.(*browser.JSError); ok {
		return je.Value, js.Undefined()
	}
	return js.Undefined(), result
}

// wantError checks a rejection or a throw: an instance of class whose
// message is msg (or starts with it when msg ends with "…").
func wantError(t *testing.T, e js.Value, className, msg string) {
	t.Helper()
	if e.Type() != js.TypeObject || !e.InstanceOf(class(className)) {
		t.Fatalf("error %s is not a %s", jsEval("return String(a)", e).String(), className)
	}
	got := e.Get("message").String()
	if prefix, ok := strings.CutSuffix(msg, "…"); ok {
		if !strings.HasPrefix(got, prefix) {
			t.Fatalf("message %q; want prefix %q", got, prefix)
		}
	} else if got != msg {
		t.Fatalf("message %q; want %q", got, msg)
	}
}

// ---- the page and the server

func needServer(t *testing.T) {
	t.Helper()
	if apiURL == "" {
		missing(t, "GOTRUE_TEST_URL is not set: start a GoTrue server (gotruetest) that allows this origin and set it")
	}
}

// missing skips the test for a setting that is not there, or fails it
// under `make test-browser` (GOTRUE_TEST_REQUIRED) or in CI.
func missing(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("GOTRUE_TEST_REQUIRED") != "" || os.Getenv("CI") != "" {
		t.Fatal(msg + " (required: GOTRUE_TEST_REQUIRED or CI is set)")
	}
	t.Skip(msg)
}

// reset forgets any session, as a fresh page load with empty storage.
func reset(t *testing.T) {
	t.Helper()
	js.Global().Get("localStorage").Call("clear")
	testBindings.session.Invalidate()
}

// newGoTrue is `new GoTrue({APIUrl: the test server, ...extra})`, without
// the console warning about http:// (TestConstructorOptions checks it).
func newGoTrue(t *testing.T, extra map[string]any) js.Value {
	t.Helper()
	recordConsole(t, "warn")
	opts := map[string]any{"APIUrl": apiURL}
	for k, v := range extra {
		opts[k] = v
	}
	return class("GoTrue").New(opts)
}

var emailSeq int

func newEmail() string {
	emailSeq++
	return "u" + strconv.FormatInt(time.Now().UnixNano(), 36) + strconv.Itoa(emailSeq) + "@example.com"
}

const password = "correct horse battery staple"

// account signs up a confirmed user (through confirm() and the mailbox
// when the server does not autoconfirm) and leaves no session behind.
func account(t *testing.T, g js.Value) string {
	t.Helper()
	email := newEmail()
	u := await(t, g.Call("signup", email, password, map[string]any{"full_name": "Test User"}))
	if !u.Get("confirmed_at").Truthy() {
		token := mail(t, email, "confirmation")
		user := await(t, g.Call("confirm", token))
		if user.Get("email").String() != email {
			t.Fatalf("confirm() gave %s", jsonOf(user))
		}
		reset(t)
	}
	return email
}

func login(t *testing.T, g js.Value, remember bool) (js.Value, string) {
	t.Helper()
	email := account(t, g)
	return await(t, g.Call("login", email, password, remember)), email
}

// mail is the token of the newest mail of kind to the address.
func mail(t *testing.T, to, kind string) string {
	t.Helper()
	if mailboxURL == "" {
		missing(t, "GOTRUE_TEST_MAILBOX_URL is not set")
	}
	resp := do(t, &gotrue.Request{Method: "GET", URL: mailboxURL + "?to=" + to + "&kind=" + kind})
	mails := js.Global().Get("JSON").Call("parse", string(resp.Body))
	if mails.Length() == 0 {
		t.Fatalf("no %s mail to %s", kind, to)
	}
	return mails.Index(mails.Length() - 1).Get("token").String()
}

// operator calls the admin API with the operator token.
func operator(t *testing.T, method, path, body string) js.Value {
	t.Helper()
	if operatorToken == "" {
		missing(t, "GOTRUE_TEST_OPERATOR_TOKEN is not set")
	}
	resp := do(t, &gotrue.Request{Method: method, URL: apiURL + path, Body: []byte(body), Header: map[string]string{
		"Authorization": "Bearer " + operatorToken,
		"Content-Type":  "application/json",
	}})
	if resp.Status/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, resp.Status, resp.Body)
	}
	return js.Global().Get("JSON").Call("parse", string(resp.Body))
}

func do(t *testing.T, req *gotrue.Request) *gotrue.Response {
	t.Helper()
	resp, err := (&browser.FetchTransport{}).Do(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// saved is localStorage's gotrue.user, "" when missing.
func saved() string {
	v := js.Global().Get("localStorage").Call("getItem", gotrue.StorageKey)
	if v.IsNull() {
		return ""
	}
	return v.String()
}

// details is JSON.stringify of the user's own properties but api: what
// gotrue-js saves.
func details(u js.Value) string {
	return jsEval("const out = {}; for (const k in a) { if (k !== 'api' && Object.prototype.hasOwnProperty.call(a, k)) out[k] = a[k]; } return JSON.stringify(out);", u).String()
}

// recordConsole replaces console[method] until the test ends and returns
// the array of argument lists it receives.
func recordConsole(t *testing.T, method string) js.Value {
	console := js.Global().Get("console")
	orig := console.Get(method)
	seen := js.Global().Get("Array").New()
	console.Set(method, jsEval("return (...args) => { a.push(args); }", seen))
	t.Cleanup(func() { console.Set(method, orig) })
	return seen
}

func dispatchStorageEvent(key any) {
	init := js.Global().Get("Object").New()
	init.Set("key", key)
	js.Global().Call("dispatchEvent", js.Global().Get("StorageEvent").New("storage", init))
}
