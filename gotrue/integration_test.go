package gotrue_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
)

// serverEnv is a GoTrue-compatible server and what a test needs to reach
// it: natively a fresh gotruetest server per test, in the browser one
// started outside the page, shared (so addresses are made unique).
type serverEnv struct {
	URL           string
	OperatorToken string
	server        *gotruetest.Server // nil in the browser
	newStorage    func() gotrue.Storage
	transport     gotrue.Transport
	mails         func(t *testing.T) []gotruetest.Mail
}

// client is a client with a session of its own ("a new page").
func (e *serverEnv) client(opts gotrue.Options) *gotrue.Client {
	if opts.Transport == nil {
		opts.Transport = e.transport
	}
	if opts.Session == nil {
		opts.Session = gotrue.NewSessionStore(e.newStorage(), nil)
	}
	return gotrue.New(e.URL, opts)
}

func uniqueEmail(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b) + "@example.com"
}

// mailToken returns the token of the newest mail of kind to the address.
func (e *serverEnv) mailToken(t *testing.T, to, kind string) string {
	t.Helper()
	mails := e.mails(t)
	for i := len(mails) - 1; i >= 0; i-- {
		if mails[i].To == to && mails[i].Kind == kind {
			require.Contains(t, mails[i].Link, "#"+kind+"_token="+mails[i].Token)
			return mails[i].Token
		}
	}
	t.Fatalf("no %s mail to %s", kind, to)
	return ""
}

// signupConfirmed signs up and confirms a user, returning its email.
func (e *serverEnv) signupConfirmed(t *testing.T, c *gotrue.Client, password string) string {
	t.Helper()
	email := uniqueEmail("user")
	_, err := c.Signup(ctx, email, password, gotrue.Object{})
	require.NoError(t, err)
	_, err = c.Confirm(ctx, e.mailToken(t, email, "confirmation"), false)
	require.NoError(t, err)
	return email
}

// adminUser makes a user whose role is "admin" (the real server's admin
// check) through the operator token, and logs it in.
func (e *serverEnv) adminUser(t *testing.T, c *gotrue.Client) *gotrue.User {
	t.Helper()
	email := uniqueEmail("admin")
	var attrs gotrue.Object
	attrs.Set("confirm", gotrue.RawJSON(`true`))
	attrs.SetString("role", "admin")
	_, err := c.Admin(e.OperatorToken).CreateUser(ctx, email, "admin-pw", attrs)
	require.NoError(t, err)
	u, err := c.Login(ctx, email, "admin-pw", false)
	require.NoError(t, err)
	return u
}

func TestServerSettings(t *testing.T) {
	e := newServerEnv(t)
	v, err := e.client(gotrue.Options{}).Settings(ctx)
	require.NoError(t, err)
	var s struct {
		External      map[string]bool `json:"external"`
		DisableSignup bool            `json:"disable_signup"`
		Autoconfirm   bool            `json:"autoconfirm"`
	}
	require.NoError(t, json.Unmarshal(v, &s))
	assert.True(t, s.External["email"])
	assert.Contains(t, s.External, "github")
}

func TestServerSignupConfirmLoginFlow(t *testing.T) {
	e := newServerEnv(t)
	c := e.client(gotrue.Options{})
	email := uniqueEmail("flow")
	data, err := gotrue.NewObject(map[string]any{"full_name": "Flo & Co"})
	require.NoError(t, err)
	signed, err := c.Signup(ctx, email, "pw-1", data)
	require.NoError(t, err)
	assert.Equal(t, email, signed.Email)
	assert.False(t, signed.ConfirmationSentAt.IsZero(), "confirmation_sent_at")
	assert.True(t, signed.ConfirmedAt.IsZero(), "not confirmed yet")
	assert.Equal(t, "Flo & Co", signed.UserMetadata.String("full_name"))
	assert.Contains(t, string(signed.Raw), `"confirmation_sent_at"`)

	_, err = c.Login(ctx, email, "pw-1", true)
	require.EqualError(t, err, "invalid_grant: Email not confirmed")

	// Signing up again before confirming merges data, keeps the password.
	_, err = c.Signup(ctx, email, "pw-2", mustObject(t, `{"age":3}`))
	require.NoError(t, err)

	u, err := c.Confirm(ctx, e.mailToken(t, email, "confirmation"), true)
	require.NoError(t, err)
	assert.Equal(t, email, u.Email())
	assert.NotEmpty(t, u.Field("confirmed_at"))
	_, err = c.Confirm(ctx, e.mailToken(t, email, "confirmation"), true)
	require.EqualError(t, err, "User not found", "a used token")

	_, err = c.Signup(ctx, email, "pw-3", gotrue.Object{})
	require.EqualError(t, err, "A user with this email address has already been registered")

	for _, pw := range []string{"wrong", ""} {
		_, err = c.Login(ctx, email, pw, true)
		require.EqualError(t, err, "invalid_grant: No user found with that email, or password invalid.")
		var je *gotrue.JSONHTTPError
		require.ErrorAs(t, err, &je)
		assert.Equal(t, 400, je.Status)
		assert.Equal(t, "Bad Request", je.StatusText)
	}
	_, err = c.Login(ctx, uniqueEmail("nobody"), "pw", true)
	require.EqualError(t, err, "invalid_grant: No user found with that email, or password invalid.")

	u, err = c.Login(ctx, email, "pw-1", true)
	require.NoError(t, err)
	assert.JSONEq(t, `{"full_name":"Flo & Co","age":3}`, string(u.Data().UserMetadata.Bytes()))
	assert.Equal(t, email, u.Data().Email)
	assert.False(t, u.Data().ConfirmedAt.IsZero(), "confirmed_at")

	// A new page over the same storage recovers the session.
	storage := &gotrue.MemoryStorage{}
	c1 := e.client(gotrue.Options{Session: gotrue.NewSessionStore(storage, nil)})
	_, err = c1.Login(ctx, email, "pw-1", true)
	require.NoError(t, err)
	page2 := e.client(gotrue.Options{Session: gotrue.NewSessionStore(storage, nil)})
	r := page2.CurrentUser()
	require.NotNil(t, r)
	assert.True(t, r.FromStorage())
	require.NoError(t, r.GetUserData(ctx))
	assert.Equal(t, email, r.Email())
}

func TestServerVerifyErrors(t *testing.T) {
	e := newServerEnv(t)
	c := e.client(gotrue.Options{})
	_, err := c.Confirm(ctx, "", false)
	require.EqualError(t, err, "Verify requires a token")
	_, err = c.Confirm(ctx, "   ", false)
	require.EqualError(t, err, "Verify requires a token")
	_, err = c.Recover(ctx, "nope", false)
	require.EqualError(t, err, "User not found")
	var je *gotrue.JSONHTTPError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, 404, je.Status)
}

func TestServerUnknownPathIsText(t *testing.T) {
	e := newServerEnv(t)
	c := gotrue.New(e.URL+"/nope", gotrue.Options{Transport: e.transport})
	_, err := c.Settings(ctx)
	var te *gotrue.TextHTTPError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "Not Found", te.Message)
	assert.Equal(t, "404 page not found\n", te.Data)
}

func TestServerRecovery(t *testing.T) {
	e := newServerEnv(t)
	c := e.client(gotrue.Options{})
	email := e.signupConfirmed(t, c, "old-pw")
	v, err := c.RequestPasswordRecovery(ctx, email)
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(v))
	_, err = c.RequestPasswordRecovery(ctx, email)
	require.EqualError(t, err, "Rate limit exceeded, try again later")
	v, err = c.RequestPasswordRecovery(ctx, uniqueEmail("nobody"))
	require.NoError(t, err, "unknown addresses get the same answer")
	assert.Equal(t, `{}`, string(v))

	u, err := c.Recover(ctx, e.mailToken(t, email, "recovery"), false)
	require.NoError(t, err)
	var attrs gotrue.Object
	attrs.SetString("password", "new-pw")
	require.NoError(t, u.Update(ctx, attrs))
	_, err = c.Login(ctx, email, "new-pw", false)
	require.NoError(t, err)
}

func TestServerUpdateAndEmailChange(t *testing.T) {
	e := newServerEnv(t)
	c := e.client(gotrue.Options{})
	email := e.signupConfirmed(t, c, "pw")
	u, err := c.Login(ctx, email, "pw", true)
	require.NoError(t, err)

	var attrs gotrue.Object
	attrs.Set("data", gotrue.RawJSON(`{"full_name":"Ann"}`))
	require.NoError(t, u.Update(ctx, attrs))
	md, _ := u.Fields().Get("user_metadata")
	assert.JSONEq(t, `{"full_name":"Ann"}`, string(md))

	newEmail := uniqueEmail("changed")
	attrs = gotrue.Object{}
	attrs.SetString("email", newEmail)
	require.NoError(t, u.Update(ctx, attrs))
	assert.Equal(t, newEmail, u.Field("new_email"))
	assert.Equal(t, email, u.Email())

	attrs = gotrue.Object{}
	attrs.SetString("email_change_token", e.mailToken(t, newEmail, "email_change"))
	require.NoError(t, u.Update(ctx, attrs))
	assert.Equal(t, newEmail, u.Email())
}

func TestServerInvite(t *testing.T) {
	e := newServerEnv(t)
	c := e.client(gotrue.Options{})
	admin := e.adminUser(t, c)
	invitee := uniqueEmail("invitee")
	jwt, err := admin.JWT(ctx, false)
	require.NoError(t, err)
	status, _ := rawPost(t, e, "/invite", jwt, `{"email":"`+invitee+`"}`)
	require.Equal(t, 200, status)
	tok := e.mailToken(t, invitee, "invite")

	_, err = c.Confirm(ctx, tok, false)
	require.EqualError(t, err, "Invited users must specify a password")
	_, err = c.AcceptInvite(ctx, tok, "", false)
	require.EqualError(t, err, "Invited users must specify a password")
	u, err := c.AcceptInvite(ctx, tok, "invited-pw", true)
	require.NoError(t, err)
	assert.Equal(t, invitee, u.Email())
	_, err = c.Login(ctx, invitee, "invited-pw", false)
	require.NoError(t, err)
}

func TestServerAdmin(t *testing.T) {
	e := newServerEnv(t)
	c := e.client(gotrue.Options{})
	admin := e.adminUser(t, c).Admin()

	created, err := admin.CreateUser(ctx, uniqueEmail("made"), "pw", gotrue.Object{})
	require.NoError(t, err)
	id := created.ID
	require.NotEmpty(t, id)
	assert.False(t, created.CreatedAt.IsZero(), "created_at")

	list, err := admin.ListUsers(ctx, gotrue.ListUsersOptions{})
	require.NoError(t, err)
	var l struct {
		Aud   string `json:"aud"`
		Users []struct {
			ID        string    `json:"id"`
			CreatedAt time.Time `json:"created_at"`
		} `json:"users"`
	}
	require.NoError(t, json.Unmarshal(list.JSON, &l))
	require.Len(t, list.Users, len(l.Users))
	for i, u := range l.Users {
		assert.Equal(t, u.ID, list.Users[i].ID)
		assert.Equal(t, u.CreatedAt.UnixMilli(), list.Users[i].CreatedAt.UnixMilli(), "typed created_at of %s", u.ID)
	}
	if list.Total != -1 { // unreadable from another origin in the browser
		assert.GreaterOrEqual(t, list.Total, len(l.Users), "X-Total-Count")
	}
	var ids []string
	for i, u := range l.Users {
		ids = append(ids, u.ID)
		if i > 0 {
			assert.False(t, u.CreatedAt.After(l.Users[i-1].CreatedAt), "newest first")
		}
	}
	assert.Contains(t, ids, id)

	got, err := admin.GetUser(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, id, got.ID)
	assert.Equal(t, created.Email, got.Email)

	attrs, err := gotrue.NewObject(map[string]any{"user_metadata": map[string]any{"plan": "pro"}})
	require.NoError(t, err)
	upd, err := admin.UpdateUser(ctx, id, attrs)
	require.NoError(t, err)
	assert.Equal(t, "pro", upd.UserMetadata.String("plan"))
	assert.Contains(t, string(upd.Raw), `"plan":"pro"`)

	del, err := admin.DeleteUser(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(del))
	_, err = admin.GetUser(ctx, id)
	require.EqualError(t, err, "User not found")
	_, err = admin.GetUser(ctx, "not-a-uuid")
	require.EqualError(t, err, "user_id must be an UUID")

	// A plain user is not an admin.
	plainEmail := e.signupConfirmed(t, c, "pw")
	plain, err := c.Login(ctx, plainEmail, "pw", false)
	require.NoError(t, err)
	_, err = plain.Admin().ListUsers(ctx, gotrue.ListUsersOptions{})
	require.EqualError(t, err, "User not allowed")
	var je *gotrue.JSONHTTPError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, 401, je.Status)
}

func TestServerLogoutRevokesRefreshTokens(t *testing.T) {
	e := newServerEnv(t)
	storage := &gotrue.MemoryStorage{}
	c := e.client(gotrue.Options{Session: gotrue.NewSessionStore(storage, nil)})
	email := e.signupConfirmed(t, c, "pw")
	u, err := c.Login(ctx, email, "pw", true)
	require.NoError(t, err)
	// Another page holds a copy of the session.
	other := e.client(gotrue.Options{Session: gotrue.NewSessionStore(&gotrue.MemoryStorage{}, nil)})
	saved, _, _ := storage.Get(gotrue.StorageKey)
	require.NoError(t, other.Session().Storage().Set(gotrue.StorageKey, saved))
	copyUser := other.CurrentUser()
	require.NotNil(t, copyUser)

	require.NoError(t, u.Logout(ctx))
	_, err = copyUser.JWT(ctx, true)
	require.EqualError(t, err, "Bad Request", "the refresh token was revoked")
	assert.Nil(t, copyUser.Token(), "a rejected refresh token ends the session")
}

func TestServerRefreshRotationAndSharing(t *testing.T) {
	e := newServerEnv(t)
	// Hold refreshes until every caller has asked: callers that come after
	// a refresh has finished rightly force a new one.
	gate := make(chan struct{})
	var refreshes atomic.Int32
	tr := gotrue.TransportFunc(func(c xcontext.Context, r *gotrue.Request) (*gotrue.Response, error) {
		if strings.HasPrefix(string(r.Body), "grant_type=refresh_token") {
			refreshes.Add(1)
			<-gate
		}
		return e.transport.Do(c, r)
	})
	c := e.client(gotrue.Options{Transport: tr})
	email := e.signupConfirmed(t, c, "pw")
	u, err := c.Login(ctx, email, "pw", true)
	require.NoError(t, err)
	first := u.Token()

	var wg sync.WaitGroup
	got := make([]string, 50)
	errs := make([]error, 50)
	waiting := make(chan struct{}, len(got))
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = u.JWT(&waitingContext{Context: context.Background(), waiting: waiting}, true)
		}()
	}
	// A caller asks its context for Done only once it waits for the
	// refresh, which the gate holds: when all have, all share it.
	timeout := time.After(30 * time.Second)
	for range got {
		select {
		case <-waiting:
		case <-timeout:
			t.Fatal("the callers did not all wait for the refresh")
		}
	}
	close(gate)
	wg.Wait()
	for i := range got {
		require.NoError(t, errs[i])
		assert.Equal(t, got[0], got[i])
	}
	assert.NotEqual(t, first.RefreshToken(), u.Token().RefreshToken(), "rotated")
	assert.Equal(t, int32(1), refreshes.Load(), "50 callers, one refresh")
	if e.server != nil {
		assert.Equal(t, 1, e.server.CountRequests("POST", "/token")-countLogins(e.server), "the server saw one refresh")
	}
}

// waitingContext tells waiting, once, when a caller first asks for its
// Done channel, which the core does only when the caller waits for a
// refresh (the select in SessionStore.refresh), not before.
type waitingContext struct {
	context.Context
	waiting chan<- struct{}
	once    sync.Once
}

func (c *waitingContext) Done() <-chan struct{} {
	c.once.Do(func() { c.waiting <- struct{}{} })
	return c.Context.Done()
}

// countLogins counts the password grants among the /token requests.
func countLogins(s *gotruetest.Server) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Path == "/token" && strings.HasPrefix(r.Body, "grant_type=password") {
			n++
		}
	}
	return n
}

func TestServerAudienceMismatch(t *testing.T) {
	e := newServerEnv(t)
	c := e.client(gotrue.Options{})
	email := e.signupConfirmed(t, c, "pw")
	u, err := c.Login(ctx, email, "pw", false)
	require.NoError(t, err)
	other := e.client(gotrue.Options{Audience: "other-aud"})
	tok := u.Token()
	_, err = other.CreateUser(ctx, tok, false)
	require.EqualError(t, err, "Token audience doesn't match request audience")
}

func TestServerValidateCurrentSessionAfterDelete(t *testing.T) {
	e := newServerEnv(t)
	c := e.client(gotrue.Options{})
	email := e.signupConfirmed(t, c, "pw")
	u, err := c.Login(ctx, email, "pw", true)
	require.NoError(t, err)
	v, err := c.ValidateCurrentSession(ctx)
	require.NoError(t, err)
	assert.Same(t, u, v)

	_, err = c.Admin(e.OperatorToken).DeleteUser(ctx, u.ID())
	require.NoError(t, err)
	v, err = c.ValidateCurrentSession(ctx)
	require.NoError(t, err)
	assert.Nil(t, v)
	assert.Nil(t, c.CurrentUser())
}

func TestServerCookies(t *testing.T) {
	e := newServerEnv(t)
	if e.server == nil {
		t.Skip("a page cannot read Set-Cookie; the e2e tests check the cookie in the browser")
	}
	var mu sync.Mutex
	var cookies []string
	tr := gotrue.TransportFunc(func(c xcontext.Context, r *gotrue.Request) (*gotrue.Response, error) {
		resp, err := e.transport.Do(c, r)
		if err == nil {
			mu.Lock()
			cookies = append(cookies, r.Method+" "+r.URL[len(e.URL):]+" "+r.Header["X-Use-Cookie"]+" "+headerOf(resp, "Set-Cookie"))
			mu.Unlock()
		}
		return resp, err
	})
	c := e.client(gotrue.Options{SetCookie: true, Transport: tr})
	email := e.signupConfirmed(t, c, "pw")
	cookies = nil
	u, err := c.Login(ctx, email, "pw", true)
	require.NoError(t, err)
	require.NoError(t, u.Logout(ctx))
	require.Len(t, cookies, 3)
	assert.Regexp(t, `^POST /token 1 nf_jwt=[^;]+; Path=/; Expires=[^;]+; Max-Age=86400; HttpOnly; Secure$`, cookies[0])
	assert.Equal(t, "GET /user 1 ", cookies[1], "the server sets no cookie on /user")
	assert.Regexp(t, `^POST /logout 1 nf_jwt=.*Max-Age=0`, cookies[2])

	cookies = nil
	_, err = c.Login(ctx, email, "pw", false)
	require.NoError(t, err)
	assert.Regexp(t, `^POST /token session nf_jwt=[^;]+; Path=/; HttpOnly; Secure$`, cookies[0])
}

func headerOf(r *gotrue.Response, name string) string {
	for k, v := range r.Header {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
