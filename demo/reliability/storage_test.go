package reliability

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// storageResult is what a storage case reports from the page.
type storageResult struct {
	Current *struct {
		Email string `json:"email"`
		Threw string `json:"threw"`
	} `json:"current"`
	Stored  *string            `json:"stored"`
	Steps   map[string]outcome `json:"steps"`
	Console []struct {
		Level   string `json:"level"`
		IsError bool   `json:"isError"`
		Text    string `json:"text"`
	} `json:"console"`
}

// logged returns the console lines of a level that contain sub.
func (r storageResult) logged(level, sub string) []string {
	var out []string
	for _, c := range r.Console {
		if c.Level == level && strings.Contains(c.Text, sub) {
			out = append(out, c.Text)
		}
	}
	return out
}

func (r storageResult) errors() []string { return r.logged("error", "") }

// loggedErrors returns the console.error(Error) lines that contain sub.
func (r storageResult) loggedErrors(sub string) []string {
	var out []string
	for _, c := range r.Console {
		if c.Level == "error" && c.IsError && strings.Contains(c.Text, sub) {
			out = append(out, c.Text)
		}
	}
	return out
}

// loggedIn tells whether currentUser() answered a user.
func (r storageResult) loggedIn() bool {
	return r.Current != nil && r.Current.Threw == "" && r.Current.Email != ""
}

// storageCase prepares localStorage (setup runs before the library loads),
// then runs steps (async JavaScript with auth = new GoTrue(), whose
// outcomes go into steps[name] through step(name, fn)).
type storageCase struct {
	name string
	// seed is the saved session the page starts with (nil: none); it is
	// called once per run, so that each run has unspent tokens.
	seed  func() string
	setup string // JavaScript run before the library loads, after seeding
	steps string
	check func(t *testing.T, r storageResult, seeded string)
	note  string
}

const (
	throwSecurity = `() => { throw new DOMException('The operation is insecure.', 'SecurityError'); }`
	throwQuota    = `() => { throw new DOMException("Failed to execute 'setItem' on 'Storage': Setting the value of 'gotrue.user' exceeded the quota.", 'QuotaExceededError'); }`
)

// TestHostileStorage starts pages whose saved session is corrupt, of the
// wrong shape, token-less or 5 MB long, or whose localStorage throws, and
// checks docs/behaviour.md §4.2 and §5.6: no crash, a corrupt entry is
// reported once and left in place, a broken storage falls back to memory,
// and nothing is deleted that gotrue-js would keep. Each case also runs on
// gotrue-js 1.0.1.
func TestHostileStorage(t *testing.T) {
	s := startSite(t, siteOptions{reference: true})
	email, password := s.newUser(t, "storage")
	fresh := func() string { return s.session(t, email, password) }

	// A saved session without refresh_token (its stale expires_at is read
	// again from the JWT on recovery, so the test forces the refresh).
	noRefresh := func() string {
		obj, err := gotrue.ParseObject([]byte(fresh()))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := obj.Get("token")
		tok, err := gotrue.ParseObject(raw)
		if err != nil {
			t.Fatal(err)
		}
		tok.Delete("refresh_token")
		tok.Set("expires_at", gotrue.RawJSON(fmt.Sprint(time.Now().Add(-time.Hour).UnixMilli())))
		obj.Set("token", tok.Bytes())
		return string(obj.Bytes())
	}
	// A valid session padded to 5 MB with user data the server does not
	// know (a big user_metadata the page saved).
	padded := func() string {
		obj, err := gotrue.ParseObject([]byte(fresh()))
		if err != nil {
			t.Fatal(err)
		}
		pad, _ := json.Marshal(map[string]string{"pad": strings.Repeat("p", 5_000_000)})
		obj.Set("local_cache", pad)
		return string(obj.Bytes())
	}
	constant := func(v string) func() string { return func() string { return v } }

	plain := func(name, value, note string, wantError bool) storageCase {
		return storageCase{
			name:  name,
			seed:  constant(value),
			steps: `r.current = rt.current(auth);`,
			check: func(t *testing.T, r storageResult, value string) {
				if r.Current != nil {
					t.Errorf("currentUser() = %v, want null", r.Current)
				}
				if r.Stored == nil || *r.Stored != value {
					t.Errorf("the saved entry was changed or removed; it must be left in place")
				}
				errs := r.loggedErrors("Gotrue-js: Error recovering session: ")
				switch {
				case wantError && len(errs) != 1:
					t.Errorf("console errors %q, want one Error 'Gotrue-js: Error recovering session: …'", r.errors())
				case !wantError && len(r.errors()) > 0:
					t.Errorf("console errors %q, want none", r.errors())
				}
				for _, e := range r.errors() {
					if len(e) > 1000 {
						t.Errorf("a console error of %d bytes echoes the saved entry", len(e))
					}
				}
			},
			note: note,
		}
	}

	cases := []storageCase{
		plain("invalid-json", `{"token":{"access_token":"x"`, "gotrue-js: the same, with the SyntaxError's text", true),
		plain("array", `[]`, "gotrue-js: the same", false),
		plain("number", `5`, "gotrue-js: the same", false),
		plain("null", `null`, "gotrue-js: null too, after logging the TypeError of destructuring null", false),
		plain("url-number", `{"url":1}`, "gotrue-js: the same", false),
		plain("token-string", `{"token":"x","url":"y"}`, "gotrue-js: a User whose token is the string \"x\" (jwt() resolves undefined); we log the entry as unusable and answer null", true),
		plain("invalid-json-5MB", `{"token":`+strings.Repeat(" ", 5_000_000), "gotrue-js: the same", true),
		{
			name:  "no-refresh-token",
			seed:  noRefresh,
			steps: `const u = auth.currentUser(); r.before = !!u; await step('jwt(true)', () => u.jwt(true)); r.current = rt.current(auth);`,
			check: func(t *testing.T, r storageResult, _ string) {
				if o := r.Steps["jwt(true)"]; !strings.HasPrefix(o.String(), "JSONHTTPError 400: Bad Request") {
					t.Errorf("jwt(true) = %v, want JSONHTTPError 400 Bad Request (the server refuses an empty refresh token)", o)
				}
				if r.Current != nil || r.Stored != nil {
					t.Errorf("after the refused refresh: currentUser %v, saved %v; want both cleared, as gotrue-js", r.Current != nil, r.Stored != nil)
				}
			},
			note: "gotrue-js: the same (the 400 clears the session)",
		},
		{
			name:  "valid-5MB",
			seed:  padded,
			steps: `r.before = rt.current(auth); await step('jwt(true)', () => auth.currentUser().jwt(true)); r.current = rt.current(auth);`,
			check: func(t *testing.T, r storageResult, v string) {
				if o := r.Steps["jwt(true)"]; !o.OK {
					t.Errorf("jwt(true) = %v", o)
				}
				if r.Current == nil || r.Current.Email != email {
					t.Errorf("currentUser() = %v, want %s", r.Current, email)
				}
				if r.Stored == nil || len(*r.Stored) < 5_000_000 || *r.Stored == v {
					t.Errorf("the 5 MB session was not rewritten with the new token, or lost its data")
				}
				if len(r.errors()) > 0 {
					t.Errorf("console errors %q", r.errors())
				}
			},
			note: "gotrue-js: the same",
		},
		{
			name:  "getItem-throws",
			seed:  fresh,
			setup: `Storage.prototype.getItem = ` + throwSecurity + `;`,
			steps: loginSteps(email, password),
			check: func(t *testing.T, r storageResult, v string) {
				checkLoginSteps(t, r)
				if w := r.logged("warn", "localStorage"); len(w) != 1 {
					t.Errorf("warnings about localStorage: %q, want exactly one", w)
				}
				if len(r.errors()) > 0 {
					t.Errorf("console errors %q", r.errors())
				}
				if r.Stored == nil || *r.Stored != v {
					t.Error("the session saved in localStorage was changed, though the client could not read it")
				}
			},
			note: "gotrue-js: currentUser() throws the SecurityError to the page",
		},
		{
			name:  "localStorage-getter-throws",
			setup: `Object.defineProperty(window, 'localStorage', { configurable: true, get: ` + throwSecurity + ` });`,
			steps: loginSteps(email, password),
			check: func(t *testing.T, r storageResult, _ string) {
				checkLoginSteps(t, r)
				if w := r.logged("warn", "localStorage"); len(w) != 1 {
					t.Errorf("warnings about localStorage: %q, want exactly one", w)
				}
				if len(r.errors()) > 0 {
					t.Errorf("console errors %q", r.errors())
				}
			},
			note: "gotrue-js: currentUser() and login throw the SecurityError",
		},
		{
			name:  "setItem-throws-before-load",
			seed:  fresh,
			setup: `Storage.prototype.setItem = ` + throwQuota + `;`,
			steps: `r.recovered = rt.current(auth); ` + loginSteps(email, password),
			check: func(t *testing.T, r storageResult, _ string) {
				checkLoginSteps(t, r)
				if e := r.logged("error", "could not save the session"); len(e) != 1 {
					t.Errorf("console errors %q, want one that says the session could not be saved", r.errors())
				}
				if r.Stored != nil {
					t.Error("the old session is still saved after a new login; a login replaces it, in gotrue-js too")
				}
			},
			note: "gotrue-js: login removes the old session, then rejects with the QuotaExceededError although the user is logged in",
		},
		{
			name:  "setItem-throws-during-login",
			steps: `Storage.prototype.setItem = ` + throwQuota + `; ` + loginSteps(email, password),
			check: func(t *testing.T, r storageResult, _ string) {
				checkLoginSteps(t, r)
				if e := r.logged("error", "could not save the session"); len(e) != 1 {
					t.Errorf("console errors %q, want one that says the session could not be saved", r.errors())
				}
			},
			note: "gotrue-js: login rejects with the QuotaExceededError although the user is logged in (currentUser() has it)",
		},
		{
			name:  "setItem-throws-during-refresh",
			seed:  fresh,
			steps: `const u = auth.currentUser(); Storage.prototype.setItem = ` + throwQuota + `; await step('jwt(true)', () => u.jwt(true)); r.current = rt.current(auth);`,
			check: func(t *testing.T, r storageResult, v string) {
				if o := r.Steps["jwt(true)"]; !o.OK {
					t.Errorf("jwt(true) = %v, want the new token (only saving it failed)", o)
				}
				if !r.loggedIn() {
					t.Error("currentUser() is null: the user was logged out because storage is full")
				}
				if r.Stored == nil || *r.Stored != v {
					t.Error("the saved session changed, though setItem throws")
				}
				if e := r.logged("error", "could not save the session"); len(e) != 1 {
					t.Errorf("console errors %q, want one that says the session could not be saved", r.errors())
				}
			},
			note: "gotrue-js: jwt(true) rejects with the QuotaExceededError and clears the session (logged out)",
		},
	}

	browser := newBrowser(t)
	run := func(t *testing.T, c storageCase, reference bool) (storageResult, string) {
		tab := pagetest.WithTimeout(t, newTab(t, browser), time.Minute)
		seeded, setup := "", c.setup
		if c.seed != nil {
			seeded = c.seed()
			setup = "localStorage.setItem('gotrue.user', " + jsString(seeded) + ");\n" + setup
		}
		open(t, tab, s, setup, reference)
		var r storageResult
		must(t, tab, `(async () => {
			const r = {steps: {}};
			const step = async (name, fn) => { r.steps[name] = await rt.outcome(fn); };
			const auth = new rt.GoTrue();
			`+c.steps+`
			r.stored = rt.stored();
			r.console = rt.console;
			r.exited = rt.exited();
			return r;
		})()`, &r)
		for name, o := range r.Steps {
			if o.Error != nil {
				leaks.observe(t.Name()+" caught", name+" "+o.Error.Text+" "+o.Error.Stack)
			}
		}
		return r, seeded
	}
	var report []string
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ours, seeded := run(t, c, false)
			c.check(t, ours, seeded)
			ref, refSeeded := run(t, c, true)
			line := fmt.Sprintf("%-30s ours: %s | gotrue-js: %s", c.name, describeStorage(ours, seeded), describeStorage(ref, refSeeded))
			report = append(report, line)
			// Worse than gotrue-js: it keeps a session that we delete.
			if ref.Stored != nil && ours.Stored == nil && (ref.loggedIn() || !ours.loggedIn()) {
				t.Errorf("WORSE than gotrue-js: the saved session is deleted here and kept by gotrue-js")
			}
			t.Logf("%s: %s", c.name, c.note)
		})
	}
	t.Logf("hostile storage, ours vs gotrue-js 1.0.1 (%d cases):\n%s", len(cases), strings.Join(report, "\n"))
}

// loginSteps logs in with remember=true and reads a token, recording both
// outcomes and the current user.
func loginSteps(email, password string) string {
	return fmt.Sprintf(`await step('login', () => auth.login(%s, %s, true)); await step('jwt()', () => auth.currentUser().jwt()); r.current = rt.current(auth);`, jsString(email), jsString(password))
}

func checkLoginSteps(t *testing.T, r storageResult) {
	t.Helper()
	for _, step := range []string{"login", "jwt()"} {
		if o := r.Steps[step]; !o.OK {
			t.Errorf("%s = %v, want success (the session lives in memory)", step, o)
		}
	}
	if !r.loggedIn() {
		t.Errorf("currentUser() = %+v after the login, want the user", r.Current)
	}
}

// describeStorage says in a few words what a case ended with.
func describeStorage(r storageResult, seeded string) string {
	var parts []string
	switch {
	case r.Current == nil:
		parts = append(parts, "null")
	case r.Current.Threw != "":
		parts = append(parts, "currentUser() throws "+r.Current.Threw)
	default:
		parts = append(parts, "user")
	}
	for _, name := range []string{"login", "jwt()", "jwt(true)"} {
		if o, ok := r.Steps[name]; ok {
			s := o.String()
			if len(s) > 90 {
				s = s[:90] + "…"
			}
			parts = append(parts, name+" "+s)
		}
	}
	switch {
	case r.Stored == nil && seeded == "":
		parts = append(parts, "no entry")
	case r.Stored == nil:
		parts = append(parts, "entry removed")
	case *r.Stored == seeded:
		parts = append(parts, "entry kept")
	default:
		parts = append(parts, "entry rewritten")
	}
	if n := len(r.errors()); n > 0 {
		e := r.errors()[0]
		if len(e) > 100 {
			e = e[:100] + "…"
		}
		parts = append(parts, fmt.Sprintf("%d console error(s): %q", n, e))
	}
	if w := r.logged("warn", ""); len(w) > 0 {
		parts = append(parts, fmt.Sprintf("%d warning(s)", len(w)))
	}
	return strings.Join(parts, ", ")
}
