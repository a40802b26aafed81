package gotrue_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
)

const usersPage = `{"aud":"","users":[{"id":"1","email":"ann@example.com"}]}`

// pageAnswer answers a page of users with the given headers.
func pageAnswer(header map[string]string) func(*gotrue.Request) *gotrue.Response {
	return func(*gotrue.Request) *gotrue.Response {
		r := jsonAnswer(200, usersPage)
		for k, v := range header {
			r.Header[k] = v
		}
		return r
	}
}

// The page, the page size and the filter go in the query string, the
// filter encoded as encodeURIComponent does; zero values are left out.
func TestListUsersPageQuery(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, false)
	cases := []struct {
		opts gotrue.ListUsersOptions
		path string
	}{
		{gotrue.ListUsersOptions{}, "/admin/users"},
		{gotrue.ListUsersOptions{Page: 2}, "/admin/users?page=2"},
		{gotrue.ListUsersOptions{PerPage: 10}, "/admin/users?per_page=10"},
		{gotrue.ListUsersOptions{Page: 3, PerPage: 25}, "/admin/users?page=3&per_page=25"},
		{gotrue.ListUsersOptions{Page: 2, PerPage: 10, Filter: "ann & co"}, "/admin/users?page=2&per_page=10&filter=ann%20%26%20co"},
		{gotrue.ListUsersOptions{Filter: "a+b@c.d=é?#/"}, "/admin/users?filter=a%2Bb%40c.d%3D%C3%A9%3F%23%2F"},
		{gotrue.ListUsersOptions{Page: -1, PerPage: -5}, "/admin/users"},
	}
	for _, tc := range cases {
		w.api.handle("GET "+tc.path, pageAnswer(map[string]string{"X-Total-Count": "1"}))
		page, err := u.Admin().ListUsers(ctx, tc.opts)
		require.NoError(t, err, tc.path)
		assert.Equal(t, "https://example.com/api"+tc.path, w.api.last().URL)
		assert.Equal(t, "GET", w.api.last().Method)
		assert.Empty(t, w.api.last().Body)
		assert.Equal(t, usersPage, string(page.JSON), "the answer as it is")
		assert.Equal(t, 1, page.Total)
	}
	assert.True(t, w.api.last().Header["Authorization"] == "Bearer "+u.Token().AccessToken(), "the user's bearer")
}

// Total is X-Total-Count, whatever the case of its name; -1 when it is
// missing or cannot be read.
func TestListUsersPageTotal(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, false)
	for _, tc := range []struct {
		header map[string]string
		total  int
	}{
		{map[string]string{"X-Total-Count": "42"}, 42},
		{map[string]string{"x-total-count": "7"}, 7},
		{map[string]string{"X-Total-Count": " 12 "}, 12},
		{map[string]string{"X-Total-Count": "0"}, 0},
		{nil, -1},
		{map[string]string{"X-Total-Count": ""}, -1},
		{map[string]string{"X-Total-Count": "abc"}, -1},
		{map[string]string{"X-Total-Count": "-5"}, -1},
		{map[string]string{"X-Total-Count": "1.5"}, -1},
		{map[string]string{"X-Total-Count": "1e3"}, -1},
		{map[string]string{"X-Total-Count": "-"}, -1},
		{map[string]string{"X-Total-Count": "99999999999999999999"}, -1},
	} {
		w.api.handle("GET /admin/users", pageAnswer(tc.header))
		page, err := u.Admin().ListUsers(ctx, gotrue.ListUsersOptions{})
		require.NoError(t, err, "%v", tc.header)
		assert.Equal(t, tc.total, page.Total, "%v", tc.header)
	}
}

// The audience goes as X-JWT-AUD: the option's, else the user's (or, for
// an operator token, the client's).
func TestListUsersPageAudience(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, false)
	w.api.handle("GET /admin/users", pageAnswer(nil))
	_, err := u.Admin().ListUsers(ctx, gotrue.ListUsersOptions{Audience: "aud1"})
	require.NoError(t, err)
	assert.Equal(t, "aud1", w.api.last().Header["X-JWT-AUD"])
	_, err = u.Admin().ListUsers(ctx, gotrue.ListUsersOptions{})
	require.NoError(t, err)
	_, ok := w.api.last().Header["X-JWT-AUD"]
	assert.False(t, ok, "the user has no audience")

	u.SetAudience("user-aud")
	_, err = u.Admin().ListUsers(ctx, gotrue.ListUsersOptions{})
	require.NoError(t, err)
	assert.Equal(t, "user-aud", w.api.last().Header["X-JWT-AUD"])

	op := gotrue.New("https://example.com/api", gotrue.Options{Transport: w.api, Audience: "client-aud"}).Admin("op-token")
	_, err = op.ListUsers(ctx, gotrue.ListUsersOptions{})
	require.NoError(t, err)
	assert.Equal(t, "client-aud", w.api.last().Header["X-JWT-AUD"])
	assert.Equal(t, "Bearer op-token", w.api.last().Header["Authorization"])
	_, err = op.ListUsers(ctx, gotrue.ListUsersOptions{Audience: "aud2", Page: 1})
	require.Error(t, err, "no handler for ?page=1: 404")
	assert.Equal(t, "aud2", w.api.last().Header["X-JWT-AUD"])
}

// The server's refusal is returned as its error.
func TestListUsersPageError(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, false)
	w.api.handle("GET /admin/users", func(*gotrue.Request) *gotrue.Response {
		r := jsonAnswer(401, `{"code":401,"msg":"User not allowed"}`)
		r.Header["X-Total-Count"] = "5"
		return r
	})
	page, err := u.Admin().ListUsers(ctx, gotrue.ListUsersOptions{})
	assert.True(t, page == nil, "expected nil")
	var je *gotrue.JSONHTTPError
	require.True(t, errors.As(err, &je), "%T", err)
	assert.Equal(t, 401, je.Status)
	assert.Equal(t, "User not allowed", err.Error())

	w.api.failNetwork("GET /admin/users", errors.New("TypeError: Failed to fetch"))
	page, err = u.Admin().ListUsers(ctx, gotrue.ListUsersOptions{})
	assert.True(t, page == nil, "expected nil")
	assert.EqualError(t, err, "TypeError: Failed to fetch")
}

// InviteUser posts {email[, data]} to /invite and returns the answer.
func TestInviteUser(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, false)
	const invited = `{"id":"2","email":"new@example.com","invited_at":"2026-01-02T00:00:00Z"}`
	w.api.handle("POST /invite", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, invited) })

	got, err := u.Admin().InviteUser(ctx, "new@example.com", gotrue.Object{})
	require.NoError(t, err)
	assert.Equal(t, invited, string(got.Raw))
	assert.Equal(t, "new@example.com", got.Email)
	assert.Equal(t, int64(1767312000000), got.InvitedAt.UnixMilli())
	req := w.api.last()
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, "https://example.com/api/invite", req.URL)
	assert.Equal(t, `{"email":"new@example.com"}`, string(req.Body), "no data, no data key")
	assert.Equal(t, "application/json", req.Header["Content-Type"])
	assert.True(t, req.Header["Authorization"] == "Bearer "+u.Token().AccessToken(), "the user's bearer")

	var data gotrue.Object
	data.SetString("full_name", "New & Co")
	data.Set("roles", gotrue.RawJSON(`["editor"]`))
	_, err = u.Admin().InviteUser(ctx, "new@example.com", data)
	require.NoError(t, err)
	assert.Equal(t, `{"email":"new@example.com","data":{"full_name":"New & Co","roles":["editor"]}}`, string(w.api.last().Body))
	assert.Equal(t, `{"full_name":"New & Co","roles":["editor"]}`, string(data.Bytes()), "the caller's data is not changed")

	// An email that needs escaping in JSON.
	_, err = u.Admin().InviteUser(ctx, `"q"@example.com`, gotrue.Object{})
	require.NoError(t, err)
	assert.Equal(t, `{"email":"\"q\"@example.com"}`, string(w.api.last().Body))
}

// Through an operator token (a Netlify function's identity token), without
// any logged-in user.
func TestInviteUserWithAnOperatorToken(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	var body, auth string
	w.api.handle("POST /invite", func(r *gotrue.Request) *gotrue.Response {
		body, auth = string(r.Body), r.Header["Authorization"]
		return jsonAnswer(200, `{"id":"2"}`)
	})
	var data gotrue.Object
	data.SetString("plan", "pro")
	got, err := w.client.Admin("op-token").InviteUser(ctx, "new@example.com", data)
	require.NoError(t, err)
	assert.Equal(t, `{"id":"2"}`, string(got.Raw))
	assert.Equal(t, `{"email":"new@example.com","data":{"plan":"pro"}}`, body)
	assert.Equal(t, "Bearer op-token", auth)
	assert.True(t, w.client.CurrentUser() == nil, "expected nil")
	assert.Zero(t, w.api.count("POST /token"), "no token refresh for an operator token")

	// The server refuses: a typed error, with the server's message.
	w.api.handle("POST /invite", func(*gotrue.Request) *gotrue.Response {
		return jsonAnswer(422, `{"code":422,"msg":"Email address already registered by another user"}`)
	})
	got, err = w.client.Admin("op-token").InviteUser(ctx, "ann@example.com", gotrue.Object{})
	assert.True(t, got == nil, "expected nil")
	var je *gotrue.JSONHTTPError
	require.True(t, errors.As(err, &je), "%T", err)
	assert.Equal(t, 422, je.Status)
	assert.True(t, strings.HasPrefix(err.Error(), "Email address already registered"), err.Error())
}
