//go:build !js

package gotrue_test

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// The client must never put a token or a password into a log line or an
// error (docs/behaviour.md §5.6). These
// tests drive every failure path we can reach natively, remember every
// credential that went over the wire, and look for each of them in every
// log line and every error the client produced. The second test does the
// same for the error bodies of gotruetest.

// leakSecrets holds every credential of a run, by value, with what it is.
type leakSecrets struct {
	mu   sync.Mutex
	vals map[string]string
}

// minSecretLen: shorter values could turn up by chance; every credential
// the tests choose is longer, and the server's are 22 characters or more.
const minSecretLen = 8

func (s *leakSecrets) add(kind, v string) {
	if len(v) < minSecretLen {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.vals == nil {
		s.vals = map[string]string{}
	}
	if _, ok := s.vals[v]; !ok {
		s.vals[v] = kind
	}
	// A JWT's signature alone is enough to show that a token was echoed.
	if parts := strings.Split(v, "."); len(parts) == 3 && len(parts[2]) >= minSecretLen {
		if _, ok := s.vals[parts[2]]; !ok {
			s.vals[parts[2]] = kind + " (signature)"
		}
	}
}

// fromBody records the tokens of a token response.
func (s *leakSecrets) fromBody(body []byte) {
	obj, err := gotrue.ParseObject(body)
	if err != nil {
		return
	}
	s.add("access token", obj.String("access_token"))
	s.add("refresh token", obj.String("refresh_token"))
}

// fromRequest records what a request carries: the bearer, the password
// or refresh token of a /token form, the password and mailed token of a
// JSON body.
func (s *leakSecrets) fromRequest(r *gotrue.Request) {
	if b, ok := strings.CutPrefix(r.Header["Authorization"], "Bearer "); ok {
		s.add("bearer", b)
	}
	if form, err := url.ParseQuery(string(r.Body)); err == nil && strings.HasSuffix(r.URL, "/token") {
		s.add("password", form.Get("password"))
		s.add("refresh token", form.Get("refresh_token"))
	}
	if obj, err := gotrue.ParseObject(r.Body); err == nil {
		s.add("password", obj.String("password"))
		s.add("mailed token", obj.String("token"))
	}
}

// forms are the ways a value may show up in text: as is, form- or
// URI-encoded, JSON-escaped.
func leakForms(v string) []string {
	q := url.QueryEscape(v)
	j, _ := json.Marshal(v)
	var out []string
	for _, f := range []string{v, q, strings.ReplaceAll(q, "+", "%20"), string(j[1 : len(j)-1])} {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

type leakText struct{ where, text string }

// leakEvidence is everything the client said: errors with their fields.
type leakEvidence struct {
	mu    sync.Mutex
	texts []leakText
}

func (e *leakEvidence) add(where, text string) {
	e.mu.Lock()
	e.texts = append(e.texts, leakText{where, text})
	e.mu.Unlock()
}

// err records an error's text, its %+v form and every field of the typed
// errors along its chain (the body a TextHTTPError or JSONHTTPError keeps,
// the URL of a net/http error).
func (e *leakEvidence) err(where string, err error) {
	if err == nil {
		return
	}
	e.add(where, err.Error())
	e.add(where+" (%+v)", fmt.Sprintf("%+v", err))
	var he *gotrue.HTTPError
	if errors.As(err, &he) {
		e.add(where+" (HTTPError)", he.Message+" | "+he.StatusText+" | "+strconv.Itoa(he.Status))
	}
	var te *gotrue.TextHTTPError
	if errors.As(err, &te) {
		e.add(where+" (TextHTTPError.Data)", te.Data)
	}
	var je *gotrue.JSONHTTPError
	if errors.As(err, &je) {
		e.add(where+" (JSONHTTPError.JSON)", string(je.JSON))
	}
	var ie *gotrue.InvalidAnswerError
	if errors.As(err, &ie) {
		e.add(where+" (InvalidAnswerError.Reason)", ie.Reason)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		e.add(where+" (url.Error)", ue.Op+" "+ue.URL)
	}
	for inner := errors.Unwrap(err); inner != nil; inner = errors.Unwrap(inner) {
		e.add(where+" (wrapped)", inner.Error())
	}
}

// leaksIn lists, for each text that holds a secret in any form, where it
// is and what kind of secret; the secret itself is cut short.
func leaksIn(s *leakSecrets, texts []leakText) []string {
	type needle struct{ form, kind, value string }
	s.mu.Lock()
	var needles []needle
	for v, kind := range s.vals {
		for _, f := range leakForms(v) {
			needles = append(needles, needle{f, kind, v})
		}
	}
	s.mu.Unlock()
	var out []string
	for _, t := range texts {
		seen := map[string]bool{}
		for _, n := range needles {
			if !seen[n.value] && strings.Contains(t.text, n.form) {
				seen[n.value] = true
				out = append(out, fmt.Sprintf("%s: %s (%.6s…) in %q", t.where, n.kind, n.value, t.text))
			}
		}
	}
	sort.Strings(out)
	return out
}

// secretString is a credential-looking value the test plants.
func secretString(prefix string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// withSignature replaces the fixed signature of makeJWT's tokens by a
// random one, so that every planted token is unique.
func withSignature(jwt string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return jwt[:strings.LastIndex(jwt, ".")+1] + base64.RawURLEncoding.EncodeToString(b)
}

// hs256 signs header.payload as the server does, with another secret.
func hs256(unsigned, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(unsigned))
	return unsigned + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// leakRun is one run of TestClientNeverLeaksCredentials: a live server and
// what was seen.
type leakRun struct {
	e   *serverEnv
	sec *leakSecrets
	ev  *leakEvidence
	log *logRecorder
	// mangle, when set, replaces the real answer to a request (after the
	// secrets of the real one were recorded): 5xx and invalid answers.
	mangle atomic.Pointer[func(*gotrue.Request, *gotrue.Response) *gotrue.Response]
}

// client is a new page on apiURL whose requests and answers are searched
// for secrets; its storage is storage (a fresh one when nil).
func (r *leakRun) client(apiURL string, storage gotrue.Storage, locker gotrue.Locker) *gotrue.Client {
	if storage == nil {
		storage = &gotrue.MemoryStorage{}
	}
	inner := r.e.transport
	tr := gotrue.TransportFunc(func(c context.Context, req *gotrue.Request) (*gotrue.Response, error) {
		r.sec.fromRequest(req)
		resp, err := inner.Do(c, req)
		if err != nil {
			return nil, err
		}
		r.sec.fromBody(resp.Body)
		if f := r.mangle.Load(); f != nil {
			return (*f)(req, resp), nil
		}
		return resp, nil
	})
	return gotrue.New(apiURL, gotrue.Options{
		Transport: tr,
		Session:   gotrue.NewSessionStore(storage, locker),
		Logger:    r.log,
	})
}

func (r *leakRun) page() *gotrue.Client { return r.client(r.e.URL, nil, nil) }

// password is a new password, with characters every encoding changes.
func (r *leakRun) password(label string) string {
	pw := secretString("pw "+label) + ` &=+%"é`
	r.sec.add("password", pw)
	return pw
}

func (r *leakRun) plant(kind, v string) string {
	r.sec.add(kind, v)
	return v
}

// setMangle answers route ("POST /token") with f's answer; nil restores
// the real answers.
func (r *leakRun) setMangle(route string, f func(*gotrue.Response) *gotrue.Response) {
	if f == nil {
		r.mangle.Store(nil)
		return
	}
	fn := func(req *gotrue.Request, resp *gotrue.Response) *gotrue.Response {
		if req.Method+" "+strings.TrimPrefix(req.URL, r.e.URL) == route {
			return f(resp)
		}
		return resp
	}
	r.mangle.Store(&fn)
}

// loggedIn signs up, confirms and logs in a user on c.
func (r *leakRun) loggedIn(t *testing.T, c *gotrue.Client, remember bool) (*gotrue.User, string, string) {
	t.Helper()
	pw := r.password("user")
	email := r.e.signupConfirmed(t, c, pw)
	u, err := c.Login(ctx, email, pw, remember)
	require.NoError(t, err)
	return u, email, pw
}

func TestClientNeverLeaksCredentials(t *testing.T) {
	r := &leakRun{e: newServerEnv(t), sec: &leakSecrets{}, ev: &leakEvidence{}, log: &logRecorder{}}
	r.sec.add("operator token", r.e.OperatorToken)

	t.Run("passwords", func(t *testing.T) {
		c := r.page()
		good := r.password("good")
		email := r.e.signupConfirmed(t, c, good)
		for i, try := range []struct{ email, pw string }{
			{email, r.password("wrong")},
			{uniqueEmail("nobody"), r.password("unknown user")},
			{email, strings.ToUpper(good)},
			{email, ""},
		} {
			_, err := c.Login(ctx, try.email, try.pw, true)
			require.Error(t, err)
			r.ev.err("login with a wrong password #"+strconv.Itoa(i), err)
		}
		unconfirmed, pw := uniqueEmail("unconfirmed"), r.password("unconfirmed")
		_, err := c.Signup(ctx, unconfirmed, pw, gotrue.Object{})
		require.NoError(t, err)
		_, err = c.Login(ctx, unconfirmed, pw, false)
		require.EqualError(t, err, "invalid_grant: Email not confirmed")
		r.ev.err("login unconfirmed", err)
		_, err = c.Signup(ctx, email, r.password("again"), gotrue.Object{})
		require.Error(t, err)
		r.ev.err("signup taken", err)
		_, err = c.Signup(ctx, "not an address", r.password("bad address"), gotrue.Object{})
		require.Error(t, err)
		r.ev.err("signup bad address", err)

		u, err := c.Login(ctx, email, good, true)
		require.NoError(t, err)
		var attrs gotrue.Object
		attrs.SetString("password", r.password("new"))
		attrs.Set("app_metadata", gotrue.RawJSON(`{"roles":["admin"]}`))
		err = u.Update(ctx, attrs)
		require.Error(t, err, "a plain user cannot set app_metadata")
		r.ev.err("update refused", err)
	})

	t.Run("refresh rejected", func(t *testing.T) {
		storage := &gotrue.MemoryStorage{}
		c := r.client(r.e.URL, storage, nil)
		u, _, _ := r.loggedIn(t, c, true)
		copyOf := func() *gotrue.User {
			saved, _, _ := storage.Get(gotrue.StorageKey)
			s := &gotrue.MemoryStorage{}
			require.NoError(t, s.Set(gotrue.StorageKey, saved))
			cu := r.client(r.e.URL, s, nil).CurrentUser()
			require.NotNil(t, cu)
			return cu
		}
		stale := copyOf()
		_, err := u.JWT(ctx, true) // rotates: the copy's refresh token is spent
		require.NoError(t, err)
		_, err = stale.JWT(ctx, true)
		require.Error(t, err)
		r.ev.err("refresh with a spent token", err)
		_, err = stale.JWT(ctx, false)
		require.ErrorIs(t, err, gotrue.ErrNoToken)
		r.ev.err("jwt after a rejected refresh", err)

		revoked := copyOf()
		require.NoError(t, u.Logout(ctx))
		_, err = revoked.JWT(ctx, true)
		require.Error(t, err)
		r.ev.err("refresh after logout", err)
		r.ev.err("update after logout", u.Update(ctx, gotrue.Object{}))
	})

	t.Run("bad tokens in storage", func(t *testing.T) {
		future := time.Now().Add(time.Hour)
		sub := "11111111-2222-4333-8444-555555555555"
		claims := func(exp any) map[string]any {
			m := map[string]any{"sub": sub, "email": "planted@example.com"}
			if exp != nil {
				m["exp"] = exp
			}
			return m
		}
		head := b64(`{"alg":"HS256","typ":"JWT"}`)
		accessTokens := map[string]string{
			"garbage":           secretString("garbage-access"),
			"expired":           withSignature(makeJWT(claims(time.Now().Add(-time.Hour).Unix()))),
			"bad signature":     withSignature(makeJWT(claims(future.Unix()))),
			"no exp":            withSignature(makeJWT(claims(nil))),
			"exp not a number":  withSignature(makeJWT(claims(secretString("exp")))),
			"two parts":         head + "." + secretString("payload"),
			"payload not b64":   head + ".!!" + secretString("payload") + "!!." + secretString("sig"),
			"payload not JSON":  head + "." + b64("not json "+secretString("payload")) + "." + secretString("sig"),
			"payload not claim": head + "." + b64(`["`+secretString("payload")+`"]`) + "." + secretString("sig"),
		}
		for name, at := range accessTokens {
			r.plant("planted access token", at)
			for _, withExpiry := range []bool{false, true} {
				var tok gotrue.Object
				tok.SetString("access_token", at)
				tok.SetString("token_type", "bearer")
				tok.Set("expires_in", gotrue.RawJSON("3600"))
				tok.SetString("refresh_token", r.plant("planted refresh token", secretString("garbage-refresh")))
				if withExpiry { // the client believes the token: the server must refuse it
					tok.Set("expires_at", gotrue.RawJSON(strconv.FormatInt(future.UnixMilli(), 10)))
				}
				var saved gotrue.Object
				saved.Set("token", tok.Bytes())
				saved.SetString("url", r.e.URL)
				saved.SetString("id", sub)
				saved.SetString("email", "planted@example.com")
				where := fmt.Sprintf("stored %s token (expires_at %v)", name, withExpiry)

				page := func() *gotrue.Client {
					s := &gotrue.MemoryStorage{}
					require.NoError(t, s.Set(gotrue.StorageKey, string(saved.Bytes())))
					return r.client(r.e.URL, s, nil)
				}
				u := page().CurrentUser()
				require.NotNil(t, u, where)
				r.ev.err(where+": getUserData", u.GetUserData(ctx))
				_, err := u.JWT(ctx, true)
				require.Error(t, err, where)
				r.ev.err(where+": jwt(true)", err)
				v, err := page().ValidateCurrentSession(ctx)
				assert.Nil(t, v, where)
				r.ev.err(where+": validateCurrentSession", err)
				r.ev.err(where+": logout", page().CurrentUser().Logout(ctx))
				_, err = page().CurrentUser().Admin().ListUsers(ctx, gotrue.ListUsersOptions{})
				r.ev.err(where+": admin", err)
			}
		}

		// Entries that are not a session at all.
		at, rt := r.plant("planted access token", secretString("access")), r.plant("planted refresh token", secretString("refresh"))
		for name, raw := range map[string]string{
			"truncated JSON":     `{"url":"` + r.e.URL + `","token":{"access_token":"` + at + `","refresh_token":"` + rt + `"`,
			"token is a string":  `{"url":"` + r.e.URL + `","token":"` + at + `"}`,
			"token is an array":  `{"url":"` + r.e.URL + `","token":["` + at + `","` + rt + `"]}`,
			"not JSON":           at + " " + rt,
			"token without url":  `{"token":{"access_token":"` + at + `","refresh_token":"` + rt + `"}}`,
			"broken escape":      `{"url":"x","token":{"access_token":"` + at + `\q"}}`,
			"unterminated token": `{"url":"x","token":{"access_token":"` + at,
		} {
			s := &gotrue.MemoryStorage{}
			require.NoError(t, s.Set(gotrue.StorageKey, raw))
			c := r.client(r.e.URL, s, nil)
			assert.Nil(t, c.CurrentUser(), name)
			v, err := c.ValidateCurrentSession(ctx)
			assert.Nil(t, v, name)
			r.ev.err("stored "+name, err)
		}
	})

	t.Run("expired on the server", func(t *testing.T) {
		c := r.page()
		u, _, _ := r.loggedIn(t, c, true)
		// The client still believes the token; the server's clock says it
		// has expired.
		r.e.server.SetConfig(func(cfg *gotruetest.Config) { cfg.Now = func() time.Time { return time.Now().Add(2 * time.Hour) } })
		defer r.e.server.SetConfig(func(cfg *gotruetest.Config) { cfg.Now = nil })
		err := u.GetUserData(ctx)
		require.Error(t, err)
		r.ev.err("expired access token", err)
		_, err = u.Admin().ListUsers(ctx, gotrue.ListUsersOptions{})
		r.ev.err("expired access token, admin", err)
	})

	t.Run("malformed token responses", func(t *testing.T) {
		c := r.page()
		for name, at := range map[string]string{
			"opaque":           secretString("opaque-access"),
			"two parts":        "eyJhbGciOiJIUzI1NiJ9." + secretString("payload"),
			"payload not b64":  "eyJhbGciOiJIUzI1NiJ9.%%" + secretString("payload") + ".sig",
			"payload not JSON": "eyJhbGciOiJIUzI1NiJ9." + b64(secretString("{not json")) + ".sig",
			"exp is a string":  withSignature(makeJWT(map[string]any{"exp": secretString("exp")})),
		} {
			rt := r.plant("planted refresh token", secretString("refresh"))
			_, err := c.CreateUser(ctx, gotrue.NewToken(r.plant("planted access token", at), "bearer", 3600, rt), true)
			require.Error(t, err, name)
			r.ev.err("createUser with "+name, err)
		}
	})

	t.Run("dead server", func(t *testing.T) {
		storage := &gotrue.MemoryStorage{}
		_, email, pw := r.loggedIn(t, r.client(r.e.URL, storage, nil), true)
		// A port that was just closed refuses connections.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		dead := "http://" + ln.Addr().String()
		require.NoError(t, ln.Close())

		c := r.client(dead, storage, nil)
		u := c.CurrentUser()
		require.NotNil(t, u)
		_, err = u.JWT(ctx, true)
		require.Error(t, err)
		r.ev.err("refresh, dead server", err)
		require.NotNil(t, u.Token(), "a network failure keeps the session")
		r.ev.err("getUserData, dead server", u.GetUserData(ctx))
		v, err := c.ValidateCurrentSession(ctx)
		assert.Same(t, u, v, "kept while offline")
		r.ev.err("validateCurrentSession, dead server", err)
		_, err = c.Login(ctx, email, pw, true)
		require.Error(t, err)
		r.ev.err("login, dead server", err)
		_, err = c.Admin(r.e.OperatorToken).ListUsers(ctx, gotrue.ListUsersOptions{})
		r.ev.err("admin, dead server", err)
		r.ev.err("logout, dead server", u.Logout(ctx))
	})

	t.Run("5xx answers", func(t *testing.T) {
		defer r.setMangle("", nil)
		answers := []*gotrue.Response{
			{Status: 500, StatusText: "Internal Server Error", Header: map[string]string{"Content-Type": "text/plain"}, Body: []byte("upstream exploded\n")},
			{Status: 502, StatusText: "Bad Gateway", Header: map[string]string{"Content-Type": "application/json"}, Body: []byte(`{"code":502,"msg":"Bad gateway"}`)},
			{Status: 503, StatusText: "Service Unavailable", Header: map[string]string{"Content-Type": "text/html"}, Body: []byte("<html>down</html>")},
			{Status: 504, StatusText: "Gateway Timeout", Header: map[string]string{"Content-Type": "application/json"}, Body: []byte(`{"msg":`)},
		}
		c := r.page()
		u, email, pw := r.loggedIn(t, c, true)
		for i, a := range answers {
			where := func(what string) string { return fmt.Sprintf("%s, %d answer", what, a.Status) }
			r.setMangle("POST /token", func(*gotrue.Response) *gotrue.Response { return a })
			_, err := c.Login(ctx, email, pw, true)
			require.Error(t, err)
			r.ev.err(where("login"), err)
			_, err = u.JWT(ctx, true)
			require.Error(t, err)
			r.ev.err(where("refresh"), err)
			require.NotNil(t, u.Token(), "a 5xx keeps the session")
			r.setMangle("GET /user", func(*gotrue.Response) *gotrue.Response { return a })
			r.ev.err(where("getUserData"), u.GetUserData(ctx))
			_, err = c.ValidateCurrentSession(ctx)
			r.ev.err(where("validateCurrentSession"), err)
			r.setMangle("PUT /user", func(*gotrue.Response) *gotrue.Response { return a })
			var attrs gotrue.Object
			attrs.SetString("password", r.password("5xx"))
			r.ev.err(where("update"), u.Update(ctx, attrs))
			r.setMangle("GET /admin/users", func(*gotrue.Response) *gotrue.Response { return a })
			_, err = c.Admin(r.e.OperatorToken).ListUsers(ctx, gotrue.ListUsersOptions{})
			r.ev.err(where("admin"), err)
			if i == len(answers)-1 {
				r.setMangle("POST /logout", func(*gotrue.Response) *gotrue.Response { return a })
				r.ev.err(where("logout"), u.Logout(ctx))
			}
			r.setMangle("", nil)
		}
	})

	t.Run("invalid answers", func(t *testing.T) {
		defer r.setMangle("", nil)
		c := r.page()
		u, email, pw := r.loggedIn(t, c, true)
		edits := map[string]func(*gotrue.Response) *gotrue.Response{
			// The real token response cut short: the tokens are in the body.
			"truncated": func(a *gotrue.Response) *gotrue.Response {
				b := *a
				b.Body = a.Body[:len(a.Body)-3]
				return &b
			},
			"text/plain": func(a *gotrue.Response) *gotrue.Response {
				b := *a
				b.Header = map[string]string{"Content-Type": "text/plain"}
				return &b
			},
			"array": func(a *gotrue.Response) *gotrue.Response {
				b := *a
				b.Body = append(append([]byte("["), a.Body...), ']')
				return &b
			},
			"no access_token": func(a *gotrue.Response) *gotrue.Response {
				obj, err := gotrue.ParseObject(a.Body)
				if err != nil {
					return a
				}
				obj.Delete("access_token")
				b := *a
				b.Body = obj.Bytes()
				return &b
			},
			"opaque access_token": func(a *gotrue.Response) *gotrue.Response {
				obj, err := gotrue.ParseObject(a.Body)
				if err != nil {
					return a
				}
				obj.SetString("access_token", r.plant("planted access token", secretString("opaque")))
				b := *a
				b.Body = obj.Bytes()
				return &b
			},
			// An error answer that says JSON and is not. Its body is kept
			// as the error's Data by contract, so it carries no token here.
			"400 truncated": func(a *gotrue.Response) *gotrue.Response {
				return &gotrue.Response{Status: 400, StatusText: "Bad Request", Header: a.Header, Body: []byte(`{"error":"invalid_grant","error_desc`)}
			},
		}
		for name, edit := range edits {
			r.setMangle("POST /token", edit)
			_, err := c.Login(ctx, email, pw, true)
			require.Error(t, err, name)
			r.ev.err("login, "+name, err)
			_, err = u.JWT(ctx, true)
			r.ev.err("refresh, "+name, err)
			r.setMangle("", nil)
			// A refresh whose answer was lost spent the refresh token;
			// log in again for the next case.
			u, err = c.Login(ctx, email, pw, true)
			require.NoError(t, err)

			r.setMangle("GET /user", edit)
			r.ev.err("getUserData, "+name, u.GetUserData(ctx))
			r.setMangle("", nil)
		}
	})

	t.Run("admin", func(t *testing.T) {
		c := r.page()
		plain, _, _ := r.loggedIn(t, c, false)
		_, err := plain.Admin().ListUsers(ctx, gotrue.ListUsersOptions{})
		require.EqualError(t, err, "User not allowed")
		r.ev.err("admin list by a plain user", err)
		_, err = plain.Admin().CreateUser(ctx, uniqueEmail("made"), r.password("admin create"), gotrue.Object{})
		require.Error(t, err)
		r.ev.err("admin create by a plain user", err)
		bad := c.Admin(r.plant("operator token", secretString("bad-operator")))
		_, err = bad.ListUsers(ctx, gotrue.ListUsersOptions{})
		require.Error(t, err)
		r.ev.err("admin with a bad operator token", err)
		op := c.Admin(r.e.OperatorToken)
		_, err = op.GetUser(ctx, "not-a-uuid")
		r.ev.err("admin get bad id", err)
		_, err = op.DeleteUser(ctx, "11111111-2222-4333-8444-555555555555")
		r.ev.err("admin delete unknown", err)
		_, err = op.CreateUser(ctx, plain.Email(), r.password("admin dup"), gotrue.Object{})
		require.Error(t, err)
		r.ev.err("admin create taken", err)
	})

	t.Run("mailed tokens", func(t *testing.T) {
		c := r.page()
		for name, call := range map[string]func(string) error{
			"confirm": func(tok string) error { _, err := c.Confirm(ctx, tok, true); return err },
			"recover": func(tok string) error { _, err := c.Recover(ctx, tok, true); return err },
			"invite": func(tok string) error {
				_, err := c.AcceptInvite(ctx, tok, r.password("invite"), true)
				return err
			},
			"verify type": func(tok string) error { _, err := c.Verify(ctx, "bogus", tok, true); return err },
		} {
			err := call(r.plant("mailed token", secretString("mail-token")))
			require.Error(t, err, name)
			r.ev.err(name+" with a bad token", err)
		}
	})

	t.Run("storage and lock failures", func(t *testing.T) {
		c := r.client(r.e.URL, failingStorage{}, failingLocker{})
		u, _, _ := r.loggedIn(t, c, true)
		_, err := u.JWT(ctx, true)
		require.NoError(t, err)
		require.NoError(t, u.Logout(ctx))
	})

	logs := r.log.all()
	for _, want := range []string{
		"Failed to parse tokenResponse claims",
		"Error recovering session",
		"could not save the session",
		"could not remove the saved session",
		"refreshing without the cross-tab lock",
	} {
		assert.True(t, containsAny(logs, want), "no log line says %q: the path did not run", want)
	}
	r.sec.mu.Lock()
	kinds := map[string]int{}
	for _, k := range r.sec.vals {
		kinds[k]++
	}
	nSecrets := len(r.sec.vals)
	r.sec.mu.Unlock()
	for _, k := range []string{"password", "access token", "refresh token", "planted access token", "planted refresh token", "mailed token", "operator token"} {
		assert.Positive(t, kinds[k], "no %s was recorded", k)
	}

	texts := slicesOfLogs(logs)
	r.ev.mu.Lock()
	texts = append(texts, r.ev.texts...)
	r.ev.mu.Unlock()
	for _, l := range leaksIn(r.sec, texts) {
		t.Error(l)
	}
	t.Logf("searched %d log lines and %d error texts for %d secrets", len(logs), len(texts)-len(logs), nSecrets)

	// The search itself works: a planted leak is found in each form.
	for _, f := range leakForms(r.password("probe")) {
		assert.NotEmpty(t, leaksIn(r.sec, []leakText{{"probe", "x " + f + " y"}}), "the search misses %q", f)
	}
}

func containsAny(lines []string, sub string) bool {
	for _, l := range lines {
		if strings.Contains(l, sub) {
			return true
		}
	}
	return false
}

func slicesOfLogs(lines []string) []leakText {
	out := make([]leakText, len(lines))
	for i, l := range lines {
		out[i] = leakText{"log line", l}
	}
	return out
}

// TestServerErrorsNeverEchoCredentials sends bad bearers, refresh tokens,
// passwords and mailed tokens to every route that checks them, and looks
// for them in the whole answer: status line, headers and body.
func TestServerErrorsNeverEchoCredentials(t *testing.T) {
	const secret = "leak-test-jwt-secret"
	srv := gotruetest.NewServer(t, func(c *gotruetest.Config) { c.JWTSecret = secret })
	sec := &leakSecrets{}
	sub := "11111111-2222-4333-8444-555555555555"
	head := b64(`{"alg":"HS256","typ":"JWT"}`)
	payload := func(exp any) string {
		b, _ := json.Marshal(map[string]any{"sub": sub, "email": "x@example.com", "exp": exp})
		return b64(string(b))
	}
	sig := func() string { return b64(secretString("signature")) }
	future, past := time.Now().Add(time.Hour).Unix(), time.Now().Add(-time.Hour).Unix()

	bearers := map[string]string{
		"eyJ-looking":      "eyJhbGciOi" + secretString("secret-looking"),
		"opaque":           secretString("opaque-bearer"),
		"bad signature":    head + "." + payload(future) + "." + sig(),
		"wrong secret":     hs256(head+"."+payload(future), "not-the-server-secret"),
		"expired":          hs256(head+"."+payload(past), secret),
		"unknown user":     hs256(head+"."+payload(future), secret),
		"alg none":         b64(`{"alg":"none","typ":"JWT"}`) + "." + payload(future) + ".",
		"alg RS256":        b64(`{"alg":"RS256","typ":"JWT"}`) + "." + payload(future) + "." + sig(),
		"unknown alg":      b64(`{"alg":"`+secretString("alg")+`"}`) + "." + payload(future) + "." + sig(),
		"two segments":     head + "." + secretString("payload"),
		"four segments":    head + "." + payload(future) + "." + sig() + "." + sig(),
		"header not b64":   "!!" + secretString("header") + "." + payload(future) + "." + sig(),
		"payload not b64":  head + ".!!" + secretString("payload") + "!!." + sig(),
		"payload not JSON": head + "." + b64("not json "+secretString("payload")) + "." + sig(),
		// golang-jwt's error for this quotes the claim's value; the
		// server answers a fixed phrase instead.
		"exp not a number":  head + "." + payload(secretString("exp")) + "." + sig(),
		"signature not b64": head + "." + payload(future) + ".!!" + secretString("sig"),
	}
	type answer struct {
		where string
		resp  *http.Response
		body  string
	}
	var answers []answer
	send := func(where, method, path, body string, header ...string) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.True(t, resp.StatusCode >= 400 && resp.StatusCode < 500, "%s: %d %s", where, resp.StatusCode, b)
		answers = append(answers, answer{where, resp, string(b)})
	}

	routes := []struct{ method, path, body string }{
		{"GET", "/user", ""},
		{"PUT", "/user", `{"data":{"a":1}}`},
		{"POST", "/logout", ""},
		{"GET", "/admin/users", ""},
		{"GET", "/admin/users/" + sub, ""},
		{"POST", "/admin/users", `{"email":"made@example.com","password":"admin-made-password"}`},
		{"POST", "/invite", `{"email":"invited@example.com"}`},
	}
	for name, bearer := range bearers {
		sec.add("bearer ("+name+")", bearer)
		for _, rt := range routes {
			send(name+": "+rt.method+" "+rt.path, rt.method, rt.path, rt.body, "Authorization", "Bearer "+bearer, "X-Use-Cookie", "1", "Content-Type", "application/json")
		}
	}

	refresh, pw, mailed := secretString("refresh"), secretString("password")+` &=+"`, secretString("mailed")
	sec.add("refresh token", refresh)
	sec.add("password", pw)
	sec.add("mailed token", mailed)
	form := "application/x-www-form-urlencoded"
	send("refresh grant", "POST", "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}.Encode(), "Content-Type", form, "X-Use-Cookie", "1")
	send("password grant", "POST", "/token", url.Values{"grant_type": {"password"}, "username": {"nobody@example.com"}, "password": {pw}}.Encode(), "Content-Type", form)
	send("unknown grant", "POST", "/token", url.Values{"grant_type": {refresh}, "refresh_token": {refresh}}.Encode(), "Content-Type", form)
	for _, typ := range []string{"signup", "recovery", refresh} {
		b, _ := json.Marshal(map[string]string{"type": typ, "token": mailed, "password": pw})
		send("verify "+typ, "POST", "/verify", string(b), "Content-Type", "application/json")
	}
	send("signup without email", "POST", "/signup", `{"email":"","password":"`+pw+`"}`, "Content-Type", "application/json")
	send("signup bad JSON", "POST", "/signup", `{"email":"a@example.com","password":"`+pw, "Content-Type", "application/json")
	send("authorize with a bad invite", "GET", "/authorize?"+url.Values{"provider": {"github"}, "invite_token": {mailed}}.Encode(), "")
	send("callback with a bad state", "GET", "/callback?"+url.Values{"state": {mailed}}.Encode(), "")
	send("operator token guess", "GET", "/admin/users", "", "Authorization", "Bearer "+refresh)

	var texts []leakText
	for _, a := range answers {
		texts = append(texts, leakText{a.where + " (status)", a.resp.Status}, leakText{a.where + " (body)", a.body})
		for k, vs := range a.resp.Header {
			texts = append(texts, leakText{a.where + " (" + k + ")", strings.Join(vs, "\n")})
		}
	}
	for _, l := range leaksIn(sec, texts) {
		t.Error(l)
	}
	t.Logf("%d answers checked", len(answers))
}
