package gotruetest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The exchanges in testdata/netlify-gotrue were recorded from the real
// netlify/gotrue server. TestMatchesNetlifyGotrue replays each scenario
// against a fresh gotruetest server and requires the same answers: status,
// the headers a client reads, and the body byte for byte (key order
// included) once ids, tokens and times are replaced by placeholders.
//
// To record them again, run a real netlify/gotrue (one instance with
// autoconfirm off, one with it on; both single-instance, no SMTP host, the
// same JWT secret) and:
//
//	GOTRUE_REFERENCE_URL=http://127.0.0.1:9999 \
//	GOTRUE_REFERENCE_AUTOCONFIRM_URL=http://127.0.0.1:9998 \
//	GOTRUE_REFERENCE_OPERATOR_TOKEN=... \
//	GOTRUE_REFERENCE_CMD=/path/to/helper \
//	go test -run TestMatchesNetlifyGotrue ./gotrue/gotruetest -args -record
//
// where `helper reset` empties both databases and `helper
// confirmation-token EMAIL` prints that user's confirmation token (the real
// server mails it; this server has a mailbox). The admin token
// GOTRUE_REFERENCE_OPERATOR_TOKEN is a JWT for the system user, {"sub":"0"}
// (an exp is allowed, no aud), signed with the servers' JWT secret; the
// replay signs the same with its own. Not the operator token itself: the
// audit log names the admin, and the two have different names.
//
// Recording waits before each request until the real server's clock (its
// Date header) shows a new second, so that every step's timestamps differ
// at the database's one-second precision; the replay's clock advances a
// second per request to match. Add /ScenarioName to -run to record (or
// replay) only some scenarios.
var record = flag.Bool("record", false, "record testdata/netlify-gotrue from the real server named by GOTRUE_REFERENCE_URL")

const referenceDir = "testdata/netlify-gotrue"

// refStep is one request. Header values and the body may name variables as
// {{name}}: "operator" is the operator token, "confirmation_token" the
// confirmation token of the scenario's last signup, and the rest are saved
// from earlier answers by Save (variable name -> top-level JSON key).
type refStep struct {
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Header map[string]string `json:"header,omitempty"`
	Body   string            `json:"body,omitempty"`
	Save   map[string]string `json:"save,omitempty"`
}

type refScenario struct {
	Name        string
	Issue       string // what the scenario pins
	Autoconfirm bool
	Steps       []refStep
}

// recorded is a scenario's file: the steps as sent (variables not filled
// in, so no token is ever written) and the normalised answers.
type recorded struct {
	Scenario  string        `json:"scenario"`
	Pins      string        `json:"pins"`
	Server    string        `json:"server"`
	Exchanges []refExchange `json:"exchanges"`
}

type refExchange struct {
	Request  refStep     `json:"request"`
	Response refResponse `json:"response"`
}

type refResponse struct {
	Status int               `json:"status"`
	Header map[string]string `json:"header,omitempty"`
	Body   string            `json:"body"`
}

const (
	jsonType = "application/json"
	formType = "application/x-www-form-urlencoded"
)

func post(path, body string, header ...string) refStep {
	return withHeader(refStep{Method: "POST", Path: path, Body: body}, header...)
}

func get(path string, header ...string) refStep {
	return withHeader(refStep{Method: "GET", Path: path}, header...)
}

func put(path, body string, header ...string) refStep {
	return withHeader(refStep{Method: "PUT", Path: path, Body: body}, header...)
}

func del(path string, header ...string) refStep {
	return withHeader(refStep{Method: "DELETE", Path: path}, header...)
}

func withHeader(s refStep, kv ...string) refStep {
	if s.Body != "" {
		kv = append([]string{"Content-Type", jsonType}, kv...)
		if !strings.HasPrefix(s.Body, "{") {
			kv[1] = formType
		}
	}
	if len(kv) > 0 {
		s.Header = map[string]string{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		s.Header[kv[i]] = kv[i+1]
	}
	return s
}

func (s refStep) saving(kv ...string) refStep {
	s.Save = map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		s.Save[kv[i]] = kv[i+1]
	}
	return s
}

func as(token string) []string    { return []string{"Authorization", "Bearer {{" + token + "}}"} }
func asOperator() []string        { return as("operator") }
func cookie(mode string) []string { return []string{"X-Use-Cookie", mode} }
func both(a, b []string) []string { return append(append([]string{}, a...), b...) }
func passwordGrant(email string) string {
	return "grant_type=password&username=" + strings.ReplaceAll(email, "@", "%40") + "&password=secret-pw"
}

var referenceScenarios = []refScenario{
	{
		Name:  "a1_no_last_sign_in_at",
		Issue: "no last_sign_in_at in any answer; updated_at is never saved after signup, so logging in or confirming leaves it alone",
		Steps: []refStep{
			post("/signup", `{"email":"a1@example.com","password":"secret-pw","data":{"full_name":"Ann"}}`).saving("id", "id"),
			post("/signup", `{"email":"a1@example.com","password":"other-pw","data":{"nick":"A"}}`),
			post("/verify", `{"type":"signup","token":"{{confirmation_token}}"}`).saving("access", "access_token", "refresh", "refresh_token"),
			get("/user", as("access")...),
			post("/token", passwordGrant("a1@example.com")).saving("access", "access_token"),
			get("/user", as("access")...),
			post("/token", "grant_type=refresh_token&refresh_token={{refresh}}").saving("access", "access_token"),
			get("/user", as("access")...),
			get("/admin/users", asOperator()...),
			get("/admin/users/{{id}}", asOperator()...),
		},
	},
	{
		Name:        "a2_app_metadata_roles_are_not_admin",
		Issue:       `a user whose role is "" and app_metadata.roles is ["admin"] is not an admin; role "admin" is`,
		Autoconfirm: true,
		Steps: []refStep{
			post("/admin/users", `{"email":"a2@example.com","password":"secret-pw","confirm":true}`, asOperator()...).saving("id", "id"),
			put("/admin/users/{{id}}", `{"app_metadata":{"roles":["admin"]}}`, asOperator()...),
			post("/token", passwordGrant("a2@example.com")).saving("access", "access_token"),
			get("/admin/users", as("access")...),
			put("/admin/users/{{id}}", `{"role":"admin"}`, asOperator()...),
			get("/admin/users", as("access")...),
		},
	},
	{
		Name:        "a3_no_cookie_from_user_endpoints",
		Issue:       "GET and PUT /user never set nf_jwt, whatever X-Use-Cookie says",
		Autoconfirm: true,
		Steps: []refStep{
			post("/signup", `{"email":"a3@example.com","password":"secret-pw"}`),
			post("/token", passwordGrant("a3@example.com"), cookie("1")...).saving("access", "access_token"),
			get("/user", both(as("access"), cookie("session"))...),
			get("/user", both(as("access"), cookie("1"))...),
			put("/user", `{"data":{"seen":true}}`, both(as("access"), cookie("1"))...),
			put("/user", `{"data":{"seen":false}}`, both(as("access"), cookie("session"))...),
			get("/user", as("access")...),
		},
	},
	{
		Name:        "a4_refresh_token_failures",
		Issue:       "a rotated refresh token clears the cookie; one deleted by /logout or never issued does not",
		Autoconfirm: true,
		Steps: []refStep{
			post("/signup", `{"email":"a4@example.com","password":"secret-pw"}`),
			post("/token", passwordGrant("a4@example.com"), cookie("1")...).saving("first", "refresh_token"),
			post("/token", "grant_type=refresh_token&refresh_token={{first}}", cookie("1")...).saving("access", "access_token", "second", "refresh_token"),
			post("/token", "grant_type=refresh_token&refresh_token={{first}}", cookie("1")...),
			post("/logout", "", both(as("access"), cookie("1"))...),
			post("/token", "grant_type=refresh_token&refresh_token={{second}}", cookie("1")...),
			post("/token", "grant_type=refresh_token&refresh_token=never-issued-token", cookie("1")...),
		},
	},
	{
		Name:        "a5_user_metadata_null_when_created_without",
		Issue:       "user_metadata is null in the answer that creates a user without it, {} on every later read",
		Autoconfirm: true,
		Steps: []refStep{
			post("/signup", `{"email":"a5@example.com","password":"secret-pw"}`),
			post("/token", passwordGrant("a5@example.com")).saving("access", "access_token"),
			get("/user", as("access")...),
			post("/signup", `{"email":"a5-null@example.com","password":"secret-pw","data":null}`),
			post("/signup", `{"email":"a5-empty@example.com","password":"secret-pw","data":{}}`),
			post("/invite", `{"email":"a5-invite@example.com"}`, asOperator()...),
			post("/admin/users", `{"email":"a5-admin@example.com","password":"secret-pw"}`, asOperator()...).saving("id", "id"),
			get("/admin/users/{{id}}", asOperator()...),
			get("/admin/users", asOperator()...),
		},
	},
	{
		Name:        "a6_empty_email",
		Issue:       "an empty email is 422 An email address is required on /signup, /invite and POST /admin/users",
		Autoconfirm: true,
		Steps: []refStep{
			post("/signup", `{"email":"","password":"secret-pw"}`),
			post("/signup", `{"password":"secret-pw"}`),
			post("/invite", `{"email":""}`, asOperator()...),
			post("/admin/users", `{"email":"","password":"secret-pw"}`, asOperator()...),
			post("/admin/users", `{"password":"secret-pw"}`, asOperator()...),
		},
	},
	{
		Name:        "recover_rate_limit",
		Issue:       "/recover answers {} for unknown addresses every time, and 429 to a second request for a known one",
		Autoconfirm: true,
		Steps: []refStep{
			post("/signup", `{"email":"rec@example.com","password":"secret-pw"}`),
			post("/recover", `{"email":"nobody@example.com"}`),
			post("/recover", `{"email":"nobody@example.com"}`),
			post("/recover", `{"email":"REC@example.com"}`),
			post("/recover", `{"email":"rec@example.com"}`),
			post("/recover", `{}`),
			post("/token", passwordGrant("rec@example.com")).saving("access", "access_token"),
			get("/user", as("access")...),
		},
	},
	{
		Name:        "a7_admin_create_ignores_app_metadata_and_data",
		Issue:       "POST /admin/users keeps only user_metadata and role: app_metadata is {provider: email}, data is ignored",
		Autoconfirm: true,
		Steps: []refStep{
			post("/admin/users", `{"email":"a7@example.com","password":"secret-pw","confirm":true,"app_metadata":{"roles":["admin"]},"data":{"via":"data"}}`, asOperator()...),
			post("/admin/users", `{"email":"a7-meta@example.com","password":"secret-pw","role":"editor","user_metadata":{"via":"user_metadata"}}`, asOperator()...),
			get("/admin/users", asOperator()...),
		},
	},
	{
		Name:        "admin_users_sort",
		Issue:       "GET /admin/users: sort (created_at only, asc/desc in any case, desc by default; the first sort value decides), paging with sort (Link next/prev/last, page=0, pages past the end and beyond 2^63), and which parameter errors come first; an empty filter keeps everyone",
		Autoconfirm: true,
		Steps: []refStep{
			post("/admin/users", `{"email":"s1@example.com","password":"secret-pw","user_metadata":{"full_name":"Sue One"}}`, asOperator()...),
			post("/admin/users", `{"email":"s2@example.com","password":"secret-pw"}`, asOperator()...),
			post("/admin/users", `{"email":"s3@example.com","password":"secret-pw","confirm":true}`, asOperator()...),
			get("/admin/users", asOperator()...),
			get("/admin/users?sort=created_at%20asc", asOperator()...),
			get("/admin/users?sort=created_at+desc", asOperator()...),
			get("/admin/users?sort=created_at", asOperator()...),
			get("/admin/users?sort=created_at%20ASC&per_page=2", asOperator()...),
			get("/admin/users?per_page=2&sort=created_at%20asc&page=2", asOperator()...),
			get("/admin/users?sort=created_at%20asc&sort=created_at%20desc", asOperator()...),
			get("/admin/users?sort=created_at%20desc&sort=created_at%20asc&per_page=1&page=3", asOperator()...),
			get("/admin/users?page=0&per_page=2", asOperator()...),
			get("/admin/users?page=5&per_page=2&sort=created_at%20asc", asOperator()...),
			get("/admin/users?page=18446744073709551615&per_page=2", asOperator()...),
			get("/admin/users?filter=&sort=created_at%20asc", asOperator()...),
			get("/admin/users?sort=email%20asc,created_at%20desc", asOperator()...),
			get("/admin/users?sort=created_at%20asc,created_at%20desc", asOperator()...),
			get("/admin/users?sort=created_at%20up", asOperator()...),
			get("/admin/users?sort=", asOperator()...),
			get("/admin/users?sort=created_at%20", asOperator()...),
			get("/admin/users?sort=Created_at", asOperator()...),
			get("/admin/users?sort=created_at%20asc&sort=id", asOperator()...),
			get("/admin/users?sort=email&page=x", asOperator()...),
			get("/admin/users?filter=s1&sort=email", asOperator()...),
			get("/admin/users?per_page=-1&sort=created_at", asOperator()...),
		},
	},
	{
		Name:        "admin_audit_autoconfirm",
		Issue:       "GET /admin/audit: the entries that signup, login, refresh, PUT /user, recover, logout and the admin routes write (action, log_type, actor, traits), newest first; paging, query errors, and who may read it",
		Autoconfirm: true,
		Steps: []refStep{
			get("/admin/audit", asOperator()...),
			post("/signup", `{"email":"au@example.com","password":"secret-pw","data":{"full_name":"Audrey"}}`),
			post("/token", passwordGrant("au@example.com")).saving("access", "access_token", "refresh", "refresh_token"),
			post("/token", "grant_type=refresh_token&refresh_token={{refresh}}"),
			post("/token", "grant_type=refresh_token&refresh_token={{refresh}}"),
			post("/token", "grant_type=password&username=au%40example.com&password=wrong-pw"),
			put("/user", `{"data":{"full_name":"Audrey Two","plan":"pro"}}`, as("access")...),
			post("/recover", `{"email":"au@example.com"}`),
			post("/recover", `{"email":"au@example.com"}`),
			post("/recover", `{"email":"nobody@example.com"}`),
			post("/logout", "", as("access")...),
			post("/admin/users", `{"email":"made@example.com","password":"secret-pw"}`, asOperator()...).saving("id", "id"),
			put("/admin/users/{{id}}", `{"email":"made2@example.com","user_metadata":{"full_name":"Made"}}`, asOperator()...),
			post("/invite", `{"email":"inv@example.com","data":{"full_name":"Invitee"}}`, asOperator()...),
			del("/admin/users/{{id}}", asOperator()...),
			post("/signup", `{"email":"au@example.com","password":"secret-pw"}`),
			get("/admin/audit", asOperator()...),
			get("/admin/audit?per_page=3&page=3", asOperator()...),
			get("/admin/audit/?per_page=5&page=4", asOperator()...),
			get("/admin/audit?query=action:", asOperator()...),
			get("/admin/audit?query=", asOperator()...),
			get("/admin/audit?query=foo", asOperator()...),
			get("/admin/audit?query=author", asOperator()...),
			get("/admin/audit?query=name:x", asOperator()...),
			get("/admin/audit?page=x&query=foo", asOperator()...),
			get("/admin/audit?query=foo&per_page=x", asOperator()...),
			get("/admin/audit", as("access")...),
			get("/admin/audit"),
			post("/admin/audit", "", asOperator()...),
			get("/admin/audit/x", asOperator()...),
			post("/logout", "", asOperator()...),
			get("/admin/audit?per_page=2", asOperator()...),
		},
	},
	{
		Name:  "admin_audit_confirm",
		Issue: "GET /admin/audit without autoconfirm: signup writes nothing, /verify writes user_signedup; an admin user is named as the actor of what it does, with its full_name",
		Steps: []refStep{
			post("/signup", `{"email":"ca@example.com","password":"secret-pw","data":{"full_name":"Cat"}}`).saving("id", "id"),
			post("/signup", `{"email":"ca@example.com","password":"secret-pw","data":{"nick":"c"}}`),
			post("/recover", `{"email":"ca@example.com"}`),
			post("/verify", `{"type":"signup","token":"{{confirmation_token}}"}`),
			put("/admin/users/{{id}}", `{"role":"admin"}`, asOperator()...),
			post("/token", passwordGrant("ca@example.com")).saving("access", "access_token"),
			post("/invite", `{"email":"cb@example.com","data":{"full_name":"Bea"}}`, as("access")...),
			post("/admin/users", `{"email":"cc@example.com","password":"secret-pw","confirm":true}`, as("access")...).saving("cc", "id"),
			put("/admin/users/{{cc}}", `{"role":"editor"}`, as("access")...),
			put("/admin/users/{{id}}", `{"user_metadata":{"full_name":"Catherine"}}`, as("access")...),
			del("/admin/users/{{cc}}", as("access")...),
			get("/admin/audit", as("access")...),
			get("/admin/audit?per_page=3&page=2", as("access")...),
		},
	},
}

func TestMatchesNetlifyGotrue(t *testing.T) {
	if *record {
		recordReference(t)
		return
	}
	for _, sc := range referenceScenarios {
		t.Run(sc.Name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(referenceDir, sc.Name+".json"))
			if err != nil {
				t.Fatalf("no recording of %s (record it with -record, see reference_test.go): %v", sc.Name, err)
			}
			var want recorded
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			clk := newClock()
			srv := NewServer(t, func(c *Config) {
				c.Autoconfirm = sc.Autoconfirm
				c.JWTSecret = referenceSecret
				c.SiteURL = "http://127.0.0.1:8080"
				c.Now = clk.Now
			})
			vars := map[string]string{"operator": systemUserToken(t)}
			confirmation := func(email string) string {
				for _, m := range srv.Mails() {
					if m.To == email && m.Kind == KindConfirmation {
						return m.Token
					}
				}
				t.Fatalf("no confirmation mail to %s", email)
				return ""
			}
			got := playScenario(t, sc, srv.URL, vars, confirmation, func() { clk.Add(time.Second) })
			if len(got) != len(want.Exchanges) {
				t.Fatalf("%d exchanges, the recording has %d (record again?)", len(got), len(want.Exchanges))
			}
			for i, w := range want.Exchanges {
				g := got[i]
				if !equalJSON(g.Request, w.Request) {
					t.Fatalf("step %d is %s %s, the recording's is %s %s (record again)", i+1, g.Request.Method, g.Request.Path, w.Request.Method, w.Request.Path)
				}
				if !equalJSON(g.Response, w.Response) {
					t.Errorf("step %d, %s %s:\n netlify/gotrue: %s\n gotruetest:     %s", i+1, w.Request.Method, w.Request.Path, w.Response, g.Response)
				}
			}
		})
	}
}

const referenceSecret = "reference-secret"

// systemUserToken is the replay's admin token: a JWT for the system user,
// as the recordings used.
func systemUserToken(t *testing.T) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"exp": 4102444800, "sub": "0"}).
		SignedString([]byte(referenceSecret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// recordReference plays every scenario (that -run selects) against the
// real server and writes its answers to testdata.
func recordReference(t *testing.T) {
	urls := map[bool]string{false: os.Getenv("GOTRUE_REFERENCE_URL"), true: os.Getenv("GOTRUE_REFERENCE_AUTOCONFIRM_URL")}
	operator, helper := os.Getenv("GOTRUE_REFERENCE_OPERATOR_TOKEN"), os.Getenv("GOTRUE_REFERENCE_CMD")
	if urls[false] == "" || urls[true] == "" || operator == "" || helper == "" {
		t.Fatal("-record needs GOTRUE_REFERENCE_URL, GOTRUE_REFERENCE_AUTOCONFIRM_URL, GOTRUE_REFERENCE_OPERATOR_TOKEN and GOTRUE_REFERENCE_CMD (see reference_test.go)")
	}
	server := os.Getenv("GOTRUE_REFERENCE_NAME")
	if server == "" {
		server = "netlify/gotrue"
	}
	runHelper := func(args ...string) string {
		out, err := exec.Command(helper, args...).Output()
		if err != nil {
			t.Fatalf("%s %s: %v", helper, args[0], err)
		}
		return strings.TrimSpace(string(out))
	}
	for _, sc := range referenceScenarios {
		t.Run(sc.Name, func(t *testing.T) {
			runHelper("reset")
			vars := map[string]string{"operator": operator}
			base := strings.TrimSuffix(urls[sc.Autoconfirm], "/")
			got := playScenario(t, sc, base, vars,
				func(email string) string { return runHelper("confirmation-token", email) },
				func() { nextServerSecond(t, base) })
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false) // keep <id 1> readable
			enc.SetIndent("", "  ")
			if err := enc.Encode(recorded{Scenario: sc.Name, Pins: sc.Issue, Server: server, Exchanges: got}); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(referenceDir, sc.Name+".json"), b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// nextServerSecond returns once the real server's clock, as its Date
// header shows, has moved past the second it read on entry, so that each
// step's timestamps differ at the database's one-second precision.
func nextServerSecond(t *testing.T, base string) {
	t.Helper()
	serverDate := func() string {
		resp, err := http.Get(base + "/health")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("Date")
	}
	start := serverDate()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(5 * time.Second)
	for serverDate() == start {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatal("the real server's Date header did not move on within 5 s")
		}
	}
}

// playScenario sends a scenario's requests in order and returns them with
// their normalised answers. tick runs before each request.
func playScenario(t *testing.T, sc refScenario, base string, vars map[string]string, confirmation func(email string) string, tick func()) []refExchange {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	norm := newNormaliser(base)
	lastSignup := ""
	var out []refExchange
	for i, st := range sc.Steps {
		tick()
		if strings.Contains(st.Body, "{{confirmation_token}}") {
			vars["confirmation_token"] = confirmation(lastSignup)
		}
		req, err := http.NewRequest(st.Method, base+fill(t, st.Path, vars), strings.NewReader(fill(t, st.Body, vars)))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range st.Header {
			req.Header.Set(k, fill(t, v, vars))
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("step %d (%s %s): %v", i+1, st.Method, st.Path, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		var fields map[string]any
		_ = json.Unmarshal(body, &fields)
		for name, key := range st.Save {
			s, ok := fields[key].(string)
			if !ok {
				t.Fatalf("step %d (%s %s) answered %d without %q to save", i+1, st.Method, st.Path, resp.StatusCode, key)
			}
			vars[name] = s
		}
		if st.Path == "/signup" {
			var p struct{ Email string }
			_ = json.Unmarshal([]byte(st.Body), &p)
			lastSignup = p.Email
		}
		out = append(out, refExchange{Request: st, Response: norm.response(resp, body)})
	}
	return out
}

var varPattern = regexp.MustCompile(`\{\{(\w+)\}\}`)

func fill(t *testing.T, s string, vars map[string]string) string {
	return varPattern.ReplaceAllStringFunc(s, func(m string) string {
		v, ok := vars[m[2:len(m)-2]]
		if !ok {
			t.Fatalf("no value for %s", m)
		}
		return v
	})
}

// The headers a client reads; Date, Content-Length, Vary and the like
// differ for reasons no client sees.
var refHeaders = []string{"Content-Type", "Set-Cookie", "Allow", "Link", "X-Total-Count"}

// normaliser replaces what differs between two runs with placeholders that
// keep equality: the nth distinct id is <id n>, the nth distinct second is
// <time n>, so "updated_at did not change" survives normalisation.
type normaliser struct {
	base  string
	ids   map[string]int
	times map[int64]int
	mu    sync.Mutex
}

func newNormaliser(base string) *normaliser {
	return &normaliser{base: base, ids: map[string]int{}, times: map[int64]int{}}
}

var (
	uuidString = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	jwtString  = regexp.MustCompile(`^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`)
	cookieJWT  = regexp.MustCompile(`nf_jwt=[A-Za-z0-9_.-]+`)
	cookieDate = regexp.MustCompile(`Expires=[^;]+`)
)

func (n *normaliser) response(resp *http.Response, body []byte) refResponse {
	r := refResponse{Status: resp.StatusCode, Header: map[string]string{}}
	for _, h := range refHeaders {
		vs := resp.Header.Values(h)
		if len(vs) == 0 {
			continue
		}
		v := strings.Join(vs, "\n")
		switch h {
		case "Set-Cookie":
			v = cookieJWT.ReplaceAllString(v, "nf_jwt=<jwt>")
			v = cookieDate.ReplaceAllString(v, "Expires=<date>")
		case "Link":
			v = strings.ReplaceAll(v, n.base, "<base>")
		}
		r.Header[h] = v
	}
	if len(r.Header) == 0 {
		r.Header = nil
	}
	r.Body = n.body(body)
	return r
}

// body re-encodes a JSON body compactly in its own key order, with
// placeholders; any other body is kept as it is.
func (n *normaliser) body(b []byte) string {
	b = orderAuditTies(b)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out strings.Builder
	if err := n.value(dec, &out, ""); err != nil {
		return string(b)
	}
	if _, err := dec.Token(); err != io.EOF {
		return string(b)
	}
	return out.String()
}

func (n *normaliser) value(dec *json.Decoder, out *strings.Builder, key string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok := tok.(type) {
	case json.Delim:
		closing := map[json.Delim]string{'{': "}", '[': "]"}[tok]
		out.WriteString(tok.String())
		for i := 0; dec.More(); i++ {
			if i > 0 {
				out.WriteByte(',')
			}
			k := ""
			if tok == '{' {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k = kt.(string)
				out.WriteString(mustJSON(k) + ":")
			}
			if err := n.value(dec, out, k); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
		out.WriteString(closing)
	case string:
		out.WriteString(mustJSON(n.placeholder(key, tok)))
	case nil:
		out.WriteString("null")
	default:
		out.WriteString(fmt.Sprint(tok))
	}
	return nil
}

func (n *normaliser) placeholder(key, s string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	switch {
	case key == "refresh_token":
		return "<refresh token>"
	case jwtString.MatchString(s) && strings.Count(s, ".") == 2 && len(s) > 40:
		return "<jwt>"
	case uuidString.MatchString(s):
		if _, ok := n.ids[s]; !ok {
			n.ids[s] = len(n.ids) + 1
		}
		return fmt.Sprintf("<id %d>", n.ids[s])
	}
	if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
		sec := tm.Unix()
		if _, ok := n.times[sec]; !ok {
			n.times[sec] = len(n.times) + 1
		}
		return fmt.Sprintf("<time %d>", n.times[sec])
	}
	return s
}

// orderAuditTies puts the audit log entries of one second (an answer of
// /admin/audit is newest first) in the order of their action. The real
// server leaves such entries in no fixed order (by their random ids, in
// practice): a refresh writes token_refreshed and token_revoked at once.
// Any other body is returned as it is.
func orderAuditTies(b []byte) []byte {
	var entries []json.RawMessage
	if json.Unmarshal(b, &entries) != nil || len(entries) < 2 {
		return b
	}
	type entry struct {
		CreatedAt *string `json:"created_at"`
		Payload   *struct {
			Action string `json:"action"`
		} `json:"payload"`
	}
	keys := make([]entry, len(entries))
	for i, raw := range entries {
		if json.Unmarshal(raw, &keys[i]) != nil || keys[i].CreatedAt == nil || keys[i].Payload == nil {
			return b
		}
	}
	idx := make([]int, len(entries))
	for i := range idx {
		idx[i] = i
	}
	for start := 0; start < len(idx); {
		end := start + 1
		for end < len(idx) && *keys[end].CreatedAt == *keys[start].CreatedAt {
			end++
		}
		run := idx[start:end] // one second's entries
		slices.SortStableFunc(run, func(x, y int) int { return strings.Compare(keys[x].Payload.Action, keys[y].Payload.Action) })
		start = end
	}
	out := []byte{'['}
	for i, j := range idx {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, entries[j]...)
	}
	return append(out, ']')
}

// String shows an answer readably in a failure.
func (r refResponse) String() string {
	var h []string
	for _, k := range refHeaders {
		if v, ok := r.Header[k]; ok {
			h = append(h, k+": "+strings.ReplaceAll(v, "\n", " | "))
		}
	}
	return fmt.Sprintf("%d [%s] %s", r.Status, strings.Join(h, "; "), r.Body)
}

func mustJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func equalJSON(a, b any) bool { return mustJSON(a) == mustJSON(b) }
