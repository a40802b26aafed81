package gotrue_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
)

// The exact entry gotrue-js 1.0.1 writes after login(…, true): token first
// (the constructor's first assignment), then url, audience, then the
// server's fields in the server's order, strings as JSON.stringify writes.
func TestSavedSessionIsByteForByteGotrueJS(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	tok := u.Token()
	exp := strconv.FormatInt(w.clock.at().Add(time.Hour).Unix()*1000, 10)
	want := `{"token":{"access_token":"` + tok.AccessToken() + `","token_type":"bearer","expires_in":3600,"refresh_token":"refresh-1","expires_at":` + exp + `},` +
		`"url":"https://example.com/api","audience":"",` +
		`"id":"11111111-2222-4333-8444-555555555555","aud":"","role":"","email":"ann@example.com","confirmed_at":"2026-01-01T00:00:00Z","app_metadata":{"provider":"email"},"user_metadata":{"full_name":"Ann & Co"},"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}`
	assert.Equal(t, want, w.saved())
	b, err := u.MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, want, string(b))
	assert.Equal(t, "ann@example.com", u.Email())
	assert.Equal(t, "11111111-2222-4333-8444-555555555555", u.ID())
	assert.Equal(t, "https://example.com/api", u.URL())
	assert.Equal(t, tok.ExpiresAt(), tok.Expiry().UnixMilli())
	assert.Equal(t, "bearer", tok.TokenType())
	assert.Same(t, u.Client(), w.client)
	assert.Equal(t, 9, u.Fields().Len())

	// Recovered, the user is marked and re-saved with _fromStorage last.
	w.session.Invalidate()
	r := w.client.CurrentUser()
	require.NotNil(t, r)
	assert.NotSame(t, u, r)
	assert.True(t, r.FromStorage())
	assert.Same(t, r, w.client.CurrentUser(), "cached after the first read")
	require.NoError(t, r.GetUserData(ctx))
	assert.Equal(t, strings.TrimSuffix(want, "}")+`,"_fromStorage":true}`, w.saved())
}

func TestRememberFalseSavesNothing(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, false)
	assert.Empty(t, w.saved())
	assert.Same(t, u, w.client.CurrentUser(), "the user lives in memory")
	require.NoError(t, u.GetUserData(ctx))
	assert.Empty(t, w.saved(), "updates rewrite storage only if something was saved")
}

func TestLoginReplacesTheSavedSession(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.login(t, true)
	require.NotEmpty(t, w.saved())
	w.login(t, false)
	assert.Empty(t, w.saved(), "login removes the saved session before making the new user")
}

// A login that fails leaves the previous session alone.
func TestFailedLoginKeepsSession(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	saved := w.saved()
	_, err := w.client.Login(ctx, "ann@example.com", "wrong", true)
	require.EqualError(t, err, "invalid_grant: No user found with that email, or password invalid.")
	assert.Equal(t, saved, w.saved())
	assert.Same(t, u, w.client.CurrentUser())

	// The token is issued but the user cannot be read: still nothing lost.
	w.api.handle("GET /user", func(*gotrue.Request) *gotrue.Response { return textAnswer(502, "<html>") })
	_, err = w.client.Login(ctx, "ann@example.com", "secret", true)
	require.Error(t, err)
	assert.Equal(t, saved, w.saved())
	assert.Same(t, u, w.client.CurrentUser())
}

func TestRecoverCorruptOrIncompleteSessions(t *testing.T) {
	cases := []struct {
		entry  string
		logged bool
	}{
		{`{not json`, true},
		{`{"token":"abc","url":"x"}`, true},
		{`{"url":"/x"}`, false},
		{`{"token":{"access_token":"a"}}`, false},
		{`{"token":{},"url":""}`, false},
		{`null`, false},
		{`5`, false},
		{`[]`, false},
		{``, false},
	}
	for _, tc := range cases {
		w := newWorld(t, gotrue.Options{})
		require.NoError(t, w.storage.Set(gotrue.StorageKey, tc.entry))
		assert.Nil(t, w.client.CurrentUser(), tc.entry)
		assert.Equal(t, tc.entry, w.saved(), "the entry is left in place: %s", tc.entry)
		if tc.logged {
			lines := w.log.all()
			require.Len(t, lines, 1, tc.entry)
			assert.True(t, strings.HasPrefix(lines[0], "error: Gotrue-js: Error recovering session: "), lines[0])
		} else {
			assert.Empty(t, w.log.all(), tc.entry)
		}
	}
}

// A session saved by gotrue-js (any key order, extra fields, a stale url)
// is recovered: the url is the client's, expires_at is recomputed from exp.
func TestRecoverForeignSession(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	exp := w.clock.at().Add(30 * time.Minute).Unix()
	access := makeJWT(map[string]any{"exp": exp, "sub": "u1"})
	entry := `{"token":{"access_token":"` + access + `","token_type":"bearer","expires_in":3600,"refresh_token":"r0","expires_at":1},"url":"https://old.example/api","audience":"aud9","id":"u1","email":"x@y.z","_fromStorage":true,"api":{"apiURL":"bad"}}`
	require.NoError(t, w.storage.Set(gotrue.StorageKey, entry))
	u := w.client.CurrentUser()
	require.NotNil(t, u)
	assert.Equal(t, "https://example.com/api", u.URL())
	assert.Equal(t, "aud9", u.Audience())
	assert.Equal(t, exp*1000, u.Token().ExpiresAt())
	assert.Equal(t, []string{"id", "email"}, u.Fields().Keys(), "api, _fromStorage and the token are not fields")
	got, err := u.JWT(ctx, false)
	require.NoError(t, err)
	assert.Equal(t, access, got)
}

// expires_at = exp × 1000; a token whose claims cannot be read falls back
// to expires_in, else to "expired", and the log never shows the token.
func TestExpiresAt(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	now := w.clock.at()
	for name, tc := range map[string]struct {
		access string
		want   int64
	}{
		"exp":           {makeJWT(map[string]any{"exp": 1_900_000_000}), 1_900_000_000_000},
		"fractional":    {makeJWT(map[string]any{"exp": 1_900_000_000.5}), 1_900_000_000_500},
		"two parts":     {"aGVhZA.eyJleHAiOjF9", now.UnixMilli() + 3_600_000},
		"bad base64":    {"a.!!!.c", now.UnixMilli() + 3_600_000},
		"no exp":        {makeJWT(map[string]any{"sub": "x"}), now.UnixMilli() + 3_600_000},
		"string exp":    {makeJWT(map[string]any{"exp": "soon"}), now.UnixMilli() + 3_600_000},
		"huge exp":      {makeJWT(map[string]any{"exp": 1e300}), 8_640_000_000_000_000},
		"payload array": {"a." + "WzFd" + ".c", now.UnixMilli() + 3_600_000},
	} {
		w.log.lines = nil
		tok, err := gotrue.ParseToken([]byte(`{"access_token":"` + tc.access + `","token_type":"bearer","expires_in":"3600","refresh_token":"r"}`))
		require.NoError(t, err)
		u, err := w.client.CreateUser(ctx, tok, false)
		require.NoError(t, err, name)
		assert.Equal(t, tc.want, u.Token().ExpiresAt(), name)
		for _, line := range w.log.all() {
			assert.NotContains(t, line, tc.access, name)
			assert.Contains(t, line, "Failed to parse tokenResponse claims", name)
		}
	}
	// Nothing to go by: treated as expired, so the first request refreshes.
	before := w.api.count("POST /token")
	tok, _ := gotrue.ParseToken([]byte(`{"access_token":"a.b.c","expires_in":"x","refresh_token":"r"}`))
	_, err := w.client.CreateUser(ctx, tok, false)
	require.EqualError(t, err, "invalid_grant: Invalid Refresh Token")
	assert.Equal(t, before+1, w.api.count("POST /token"))
}

func TestCreateUserNeedsAnAccessToken(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	_, err := w.client.CreateUser(ctx, nil, false)
	assert.Error(t, err)
	tok, err := gotrue.ParseToken([]byte(`{"access_token":5}`))
	require.NoError(t, err)
	_, err = w.client.CreateUser(ctx, tok, false)
	assert.Error(t, err)
	_, err = gotrue.ParseToken([]byte(`[]`))
	assert.Error(t, err)

	u, err := w.client.CreateUser(ctx, gotrue.NewToken(makeJWT(map[string]any{"exp": 1_900_000_000}), "bearer", 3600, "r"), true)
	require.NoError(t, err)
	assert.Equal(t, "r", u.Token().RefreshToken())
	assert.Contains(t, w.saved(), `"expires_in":3600,"refresh_token":"r","expires_at":1900000000000}`)
}

func TestCreateUserRejectsAUserThatIsNotAnObject(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.api.handle("GET /user", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, `[1,2]`) })
	_, err := w.client.Login(ctx, "ann@example.com", "secret", true)
	var ie *gotrue.InvalidAnswerError
	require.ErrorAs(t, err, &ie)
	assert.Nil(t, w.client.CurrentUser())
	assert.Empty(t, w.saved())
}

func TestTokenResponseWithoutAccessToken(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	for _, body := range []string{`{"token_type":"bearer"}`, `[]`, `"x"`} {
		w.api.handle("POST /token", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, body) })
		_, err := w.client.Login(ctx, "ann@example.com", "secret", true)
		var ie *gotrue.InvalidAnswerError
		require.ErrorAs(t, err, &ie, body)
	}
}

func TestServerFieldsNeverOverwriteOwnProperties(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.api.handle("GET /user", func(*gotrue.Request) *gotrue.Response {
		return jsonAnswer(200, `{"id":"1","api":"x","token":"x","audience":"x","url":"x","jwt":"x","update":1,"admin":1,"constructor":1,"toString":1,"_fromStorage":false,"email":"e"}`)
	})
	u := w.login(t, true)
	assert.Equal(t, []string{"id", "email"}, u.Fields().Keys())
	assert.True(t, gotrue.IsReservedKey("logout"))
	assert.False(t, gotrue.IsReservedKey("email"))
	assert.NotNil(t, u.Token())
	assert.Equal(t, "", u.Audience())
}

func TestStorageEventInvalidatesCache(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	// Another tab logs out: it removes the entry and the storage event fires.
	require.NoError(t, w.storage.Remove(gotrue.StorageKey))
	assert.Same(t, u, w.client.CurrentUser(), "without the event the cache answers")
	w.session.Invalidate()
	assert.Nil(t, w.client.CurrentUser())
}

func TestClientsSharingASessionShareTheCurrentUser(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	other := gotrue.New("https://example.com/api", gotrue.Options{Transport: w.api, Session: w.session, Clock: w.clock})
	u := w.login(t, false)
	assert.Same(t, u, other.CurrentUser())
}

func TestUpdateAndGetUserData(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	w.api.handle("PUT /user", func(r *gotrue.Request) *gotrue.Response {
		return jsonAnswer(200, `{"id":"11111111-2222-4333-8444-555555555555","email":"ann@example.com","user_metadata":{"full_name":"New"},"new_field":true}`)
	})
	var attrs gotrue.Object
	attrs.Set("data", gotrue.RawJSON(`{"full_name":"New"}`))
	require.NoError(t, u.Update(ctx, attrs))
	assert.Equal(t, `{"data":{"full_name":"New"}}`, string(w.api.last().Body))
	assert.Equal(t, "PUT", w.api.last().Method)
	f := u.Fields()
	md, _ := f.Get("user_metadata")
	assert.Equal(t, `{"full_name":"New"}`, string(md))
	assert.Equal(t, "role", f.Keys()[2], "existing keys keep their place")
	assert.Equal(t, "new_field", f.Keys()[len(f.Keys())-1])
	assert.Contains(t, w.saved(), `"user_metadata":{"full_name":"New"}`)

	w.api.handle("PUT /user", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, `"nope"`) })
	saved := w.saved()
	assert.Error(t, u.Update(ctx, attrs))
	assert.Equal(t, saved, w.saved())
}

func TestLogoutClearsWhateverHappens(t *testing.T) {
	for name, answer := range map[string]*gotrue.Response{
		"204": {Status: 204, StatusText: "No Content"},
		"500": textAnswer(500, "boom"),
	} {
		w := newWorld(t, gotrue.Options{})
		u := w.login(t, true)
		w.api.handle("POST /logout", func(*gotrue.Request) *gotrue.Response { return answer })
		err := u.Logout(ctx)
		if name == "500" {
			assert.Error(t, err)
		} else {
			assert.NoError(t, err)
		}
		assert.Nil(t, u.Token(), name)
		assert.Empty(t, w.saved(), name)
		assert.Nil(t, w.client.CurrentUser(), name)
		_, err = u.JWT(ctx, false)
		assert.ErrorIs(t, err, gotrue.ErrNoToken)
		assert.Equal(t, "gotrue: the user is logged out (no access token)", err.Error(), "Go's wording; the bindings give pages gotrue-js's")
		assert.ErrorIs(t, u.GetUserData(ctx), gotrue.ErrNoToken)
	}
}

func TestClearSessionClearsEverything(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	u.ClearSession()
	assert.Nil(t, u.Token())
	assert.Empty(t, w.saved())
	assert.Nil(t, w.client.CurrentUser())
	b, _ := u.MarshalJSON()
	assert.True(t, strings.HasPrefix(string(b), `{"token":null,`))
}

func TestJWTRefreshesNearExpiry(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	first, err := u.JWT(ctx, false)
	require.NoError(t, err)
	fresh, ok := plumbing.FreshAccessToken(u)
	assert.True(t, ok)
	assert.Equal(t, first, fresh)
	assert.Equal(t, 1, w.api.count("POST /token"))

	w.clock.advance(58*time.Minute + 59*time.Second) // 61 s left: still fresh
	got, err := u.JWT(ctx, false)
	require.NoError(t, err)
	assert.Equal(t, first, got)
	assert.Equal(t, 1, w.api.count("POST /token"))

	w.clock.advance(2 * time.Second) // 59 s left: inside the margin
	_, ok = plumbing.FreshAccessToken(u)
	assert.False(t, ok)
	got, err = u.JWT(ctx, false)
	require.NoError(t, err)
	assert.NotEqual(t, first, got)
	assert.Equal(t, 2, w.api.count("POST /token"))
	assert.Equal(t, "grant_type=refresh_token&refresh_token=refresh-1", string(w.api.last().Body))
	assert.Equal(t, "refresh-2", u.Token().RefreshToken())
	assert.Contains(t, w.saved(), `"refresh_token":"refresh-2"`, "the saved session follows")
}

func TestConcurrentJWTForceMakesOneRequest(t *testing.T) {
	bubble(t, func(t *testing.T) {
		w := newWorld(t, gotrue.Options{})
		u := w.login(t, true)
		gate := make(chan struct{})
		w.api.handle("POST /token", func(r *gotrue.Request) *gotrue.Response {
			<-gate // hold the request until every caller waits on it
			return jsonAnswer(200, w.issue())
		})
		var wg sync.WaitGroup
		tokens := make([]string, 50)
		errs := make([]error, 50)
		for i := range tokens {
			wg.Go(func() { tokens[i], errs[i] = u.JWT(ctx, true) })
		}
		synctest.Wait()
		close(gate)
		wg.Wait()
		for i := range tokens {
			require.NoError(t, errs[i])
			assert.True(t, tokens[0] == tokens[i], "every caller gets the one new token")
		}
		assert.Equal(t, 2, w.api.count("POST /token"), "one login, one refresh")
	})
}

// docs/behaviour.md §5.1: only the server rejecting the refresh token logs
// the user out.
func TestRefreshFailureKeepsSessionUnlessRejected(t *testing.T) {
	cases := map[string]struct {
		answer  *gotrue.Response // nil: the network fails
		cleared bool
	}{
		"network": {},
		"500":     {answer: textAnswer(500, "oops")},
		"503":     {answer: jsonAnswer(503, `{"msg":"down"}`)},
		"html":    {answer: textAnswer(200, "<html>")},
		"429":     {answer: jsonAnswer(429, `{"code":429,"msg":"Rate limit exceeded"}`)},
		"408":     {answer: textAnswer(408, "timeout")},
		"400":     {answer: jsonAnswer(400, `{"error":"invalid_grant","error_description":"Invalid Refresh Token"}`), cleared: true},
		"401":     {answer: jsonAnswer(401, `{"code":401,"msg":"Invalid token"}`), cleared: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, gotrue.Options{})
			u := w.login(t, true)
			saved := w.saved()
			good := w.api.handlers["POST /token"]
			if tc.answer == nil {
				w.api.failNetwork("POST /token", errors.New("TypeError: Failed to fetch"))
			} else {
				w.api.handle("POST /token", func(*gotrue.Request) *gotrue.Response { return tc.answer })
			}
			_, err := u.JWT(ctx, true)
			require.Error(t, err)
			if tc.cleared {
				assert.Nil(t, u.Token())
				assert.Empty(t, w.saved())
				assert.Nil(t, w.client.CurrentUser())
				return
			}
			assert.NotNil(t, u.Token())
			assert.Equal(t, saved, w.saved(), "nothing lost")
			assert.Same(t, u, w.client.CurrentUser())
			// The next call tries again and, with the server back, succeeds.
			w.api.failNetwork("POST /token", nil)
			w.api.handle("POST /token", good)
			_, err = u.JWT(ctx, true)
			require.NoError(t, err)
			assert.Contains(t, w.saved(), `"refresh_token":"refresh-2"`)
		})
	}
}

// A failed refresh inside jwt() keeps the status text; the same failure
// through a user request gets the rewritten message.
func TestRefreshErrorMessage(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	w.mu.Lock()
	w.refresh = "" // the server forgets every refresh token
	w.mu.Unlock()
	_, err := u.JWT(ctx, true)
	require.EqualError(t, err, "Bad Request")

	w2 := newWorld(t, gotrue.Options{})
	u2 := w2.login(t, true)
	w2.mu.Lock()
	w2.refresh = ""
	w2.mu.Unlock()
	w2.clock.advance(2 * time.Hour)
	err = u2.GetUserData(ctx)
	require.EqualError(t, err, "invalid_grant: Invalid Refresh Token")
}

func TestValidateCurrentSession(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u, err := w.client.ValidateCurrentSession(ctx)
	require.NoError(t, err)
	assert.Nil(t, u)

	w.login(t, true)
	w.session.Invalidate()
	u, err = w.client.ValidateCurrentSession(ctx)
	require.NoError(t, err)
	require.NotNil(t, u)
	assert.True(t, u.FromStorage())

	// Offline: the user stays (deviation), nothing is cleared.
	w.api.handle("GET /user", func(*gotrue.Request) *gotrue.Response { return textAnswer(503, "down") })
	saved := w.saved()
	u2, err := w.client.ValidateCurrentSession(ctx)
	te, ok := errors.AsType[*gotrue.TextHTTPError](err)
	require.True(t, ok, "the transient error is returned with the kept user: %v", err)
	assert.Equal(t, 503, te.Status)
	assert.Same(t, u, u2)
	assert.Equal(t, saved, w.saved())

	// Rejected: cleared, null.
	w.api.handle("GET /user", func(*gotrue.Request) *gotrue.Response {
		return jsonAnswer(401, `{"code":401,"msg":"Invalid token: token is expired"}`)
	})
	u3, err := w.client.ValidateCurrentSession(ctx)
	require.NoError(t, err)
	assert.Nil(t, u3)
	assert.Empty(t, w.saved())
	assert.Nil(t, w.client.CurrentUser())
}

// Cross-tab: another tab (another client over the same storage) already
// spent the refresh token and saved the new one; we adopt it.
func TestRefreshAdoptsTokenSavedByAnotherTab(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.login(t, true)
	w.session.Invalidate()
	tabA := w.client.CurrentUser()
	require.NotNil(t, tabA)

	// Tab B: its own session state, same storage and server.
	sessionB := gotrue.NewSessionStore(w.storage, nil)
	clientB := gotrue.New("https://example.com/api", gotrue.Options{Transport: w.api, Session: sessionB, Clock: w.clock})
	tabB := clientB.CurrentUser()
	require.NotNil(t, tabB)

	w.clock.advance(59*time.Minute + 30*time.Second)
	jwtB, err := tabB.JWT(ctx, false)
	require.NoError(t, err)
	jwtA, err := tabA.JWT(ctx, false)
	require.NoError(t, err, "tab A adopts instead of spending the rotated token")
	assert.Equal(t, jwtB, jwtA)
	assert.Equal(t, 2, w.api.count("POST /token"), "one login, one refresh")
	assert.NotNil(t, tabA.Token())

	// Both expired again: the stored token is newer but stale, so tab A
	// spends the stored refresh token rather than its own, spent one.
	w.clock.advance(2 * time.Hour)
	_, err = tabB.JWT(ctx, false)
	require.NoError(t, err)
	w.clock.advance(2 * time.Hour)
	_, err = tabA.JWT(ctx, false)
	require.NoError(t, err)
	assert.Equal(t, 4, w.api.count("POST /token"))
	assert.NotEmpty(t, w.saved())
}

// A caller whose context ends stops waiting; the shared refresh goes on.
func TestJWTContextCancel(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	release := make(chan struct{})
	w.api.handle("POST /token", func(*gotrue.Request) *gotrue.Response {
		<-release
		return jsonAnswer(200, w.issue())
	})
	c, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err := u.JWT(c, true)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	close(release)
	got, err := u.JWT(ctx, true)
	require.NoError(t, err)
	assert.NotEmpty(t, got)
}

// A failing storage (full, disabled) never loses the user in memory.
func TestStorageErrorsAreLoggedNotFatal(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	bad := &failingStorage{}
	session := gotrue.NewSessionStore(bad, nil)
	c := gotrue.New("https://example.com/api", gotrue.Options{Transport: w.api, Session: session, Clock: w.clock, Logger: w.log})
	u, err := c.Login(ctx, "ann@example.com", "secret", true)
	require.NoError(t, err)
	assert.Same(t, u, c.CurrentUser())
	u.ClearSession()
	lines := strings.Join(w.log.all(), "\n")
	assert.Contains(t, lines, "could not save the session: quota exceeded")
	assert.Contains(t, lines, "could not remove the saved session")
	assert.NotContains(t, lines, "secret")
}

type failingStorage struct{}

func (failingStorage) Get(string) (string, bool, error) { return "", false, errors.New("denied") }
func (failingStorage) Set(string, string) error         { return errors.New("quota exceeded") }
func (failingStorage) Remove(string) error              { return errors.New("denied") }

// Revision moves with every change a page object must copy, and only then.
func TestUserRevision(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	r0 := plumbing.Revision(u)
	_, err := u.JWT(ctx, false)
	require.NoError(t, err)
	assert.Equal(t, r0, plumbing.Revision(u), "a cached jwt changes nothing")
	require.NoError(t, u.GetUserData(ctx))
	r1 := plumbing.Revision(u)
	assert.Greater(t, r1, r0)
	_, err = u.JWT(ctx, true)
	require.NoError(t, err)
	r2 := plumbing.Revision(u)
	assert.Greater(t, r2, r1)
	u.ClearSession()
	assert.Greater(t, plumbing.Revision(u), r2)
}

// laggingStorage is another tab's view of a shared storage: while frozen,
// it still shows the entry as it was, as Chrome may show a tab another
// tab's localStorage write only a little later.
type laggingStorage struct {
	gotrue.Storage
	mu          sync.Mutex
	frozen      *string
	onFrozenGet func() // if set, called on each Get while frozen
}

func (l *laggingStorage) freeze() {
	v, _, _ := l.Storage.Get(gotrue.StorageKey)
	l.mu.Lock()
	l.frozen = &v
	l.mu.Unlock()
}

func (l *laggingStorage) thaw() {
	l.mu.Lock()
	l.frozen = nil
	l.mu.Unlock()
}

func (l *laggingStorage) Get(key string) (string, bool, error) {
	l.mu.Lock()
	f, hook := l.frozen, l.onFrozenGet
	l.mu.Unlock()
	if f != nil && key == gotrue.StorageKey {
		if hook != nil {
			hook()
		}
		return *f, *f != "", nil
	}
	return l.Storage.Get(key)
}

// lateWriteTabs logs a user in and gives two tabs of that session: tab A
// on the world's storage, tab B on a view of it that can lag behind.
func lateWriteTabs(t *testing.T) (w *world, tabA, tabB *gotrue.User, viewB *laggingStorage) {
	t.Helper()
	w = newWorld(t, gotrue.Options{})
	w.login(t, true)
	w.session.Invalidate()
	tabA = w.client.CurrentUser()
	require.NotNil(t, tabA)
	viewB = &laggingStorage{Storage: w.storage}
	clientB := gotrue.New("https://example.com/api", gotrue.Options{Transport: w.api, Session: gotrue.NewSessionStore(viewB, nil), Clock: w.clock})
	tabB = clientB.CurrentUser()
	require.NotNil(t, tabB)
	return w, tabA, tabB, viewB
}

// Tab B gets the lock before it sees tab A's new token, spends the token
// tab A already spent and is refused: it must adopt tab A's token when the
// write arrives instead of logging everyone out.
func TestRefusedRefreshAdoptsALateWrite(t *testing.T) {
	bubble(t, func(t *testing.T) {
		w, tabA, tabB, viewB := lateWriteTabs(t)

		viewB.freeze()
		jwtA, err := tabA.JWT(ctx, true)
		require.NoError(t, err)
		time.AfterFunc(30*time.Millisecond, viewB.thaw) // the write reaches tab B late
		jwtB, err := tabB.JWT(ctx, true)
		require.NoError(t, err, "tab B adopts tab A's token")
		assert.True(t, jwtA == jwtB)
		assert.NotNil(t, tabA.Token())
		assert.Contains(t, w.saved(), `"refresh_token":"refresh-2"`, "nobody removed the new session")
		assert.Equal(t, 3, w.api.count("POST /token"), "login, tab A's refresh, tab B's refused one")
	})
}

// The same on the real clock, which in the browser build is setTimeout:
// tab B, refused, polls storage until tab A's write reaches it.
func TestRefusedRefreshAdoptsALateWriteRealTime(t *testing.T) {
	w, tabA, tabB, viewB := lateWriteTabs(t)

	viewB.freeze()
	jwtA, err := tabA.JWT(ctx, true)
	require.NoError(t, err)
	var looks atomic.Int32
	viewB.mu.Lock()
	viewB.onFrozenGet = func() {
		// Tab B was refused (the third /token) and has looked twice: it
		// is polling. The write reaches it for its next look.
		if w.api.count("POST /token") == 3 && looks.Add(1) == 2 {
			viewB.thaw()
		}
	}
	viewB.mu.Unlock()
	jwtB, err := tabB.JWT(ctx, true)
	require.NoError(t, err, "tab B adopts tab A's token")
	assert.True(t, jwtA == jwtB)
	assert.GreaterOrEqual(t, looks.Load(), int32(2), "tab B polled")
	assert.Contains(t, w.saved(), `"refresh_token":"refresh-2"`, "nobody removed the new session")
	assert.Equal(t, 3, w.api.count("POST /token"), "login, tab A's refresh, tab B's refused one")
}

// A tab that refreshes without the lock (it timed out waiting) and is
// refused keeps the session: the holder may still be refreshing that token.
func TestRefusedRefreshWithoutLockKeepsSession(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.login(t, true)
	saved := w.saved()
	noLock := gotrue.New("https://example.com/api", gotrue.Options{Transport: w.api, Session: gotrue.NewSessionStore(w.storage, failingLocker{}), Clock: w.clock, Logger: w.log})
	u := noLock.CurrentUser()
	require.NotNil(t, u)
	w.mu.Lock()
	w.refresh = "" // the holder has spent it
	w.mu.Unlock()
	_, err := u.JWT(ctx, true)
	require.Error(t, err)
	assert.NotNil(t, u.Token())
	assert.Equal(t, saved, w.saved())
	assert.Contains(t, strings.Join(w.log.all(), "\n"), "without the cross-tab lock")
}

// A refused refresh never removes a newer session another tab saved.
func TestRefusedRefreshKeepsANewerSavedSession(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	other := `{"token":{"access_token":"a.b.c","refresh_token":"someone-else"},"url":"x","id":"another-user"}`
	w.mu.Lock()
	w.refresh = ""
	w.mu.Unlock()
	require.NoError(t, w.storage.Set(gotrue.StorageKey, other))
	_, err := u.JWT(ctx, true)
	require.Error(t, err)
	assert.Nil(t, u.Token(), "this user's session ended")
	assert.Equal(t, other, w.saved(), "the other session stays")
}
