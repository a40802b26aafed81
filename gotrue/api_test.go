package gotrue_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
)

// The Go API as a new user meets it: one input type for user data, errors
// for bad input, typed answers, and the standard library's conventions.

func TestNewObject(t *testing.T) {
	o, err := gotrue.NewObject(map[string]any{
		"name":   "Ann & Co",
		"age":    42,
		"ratio":  0.5,
		"admin":  false,
		"none":   nil,
		"tags":   []string{"a", "b"},
		"mixed":  []any{1, "x", map[string]any{"z": 1, "y": 2}},
		"raw":    gotrue.RawJSON(` {"k":[1]} `),
		"small":  uint8(7),
		"nested": map[string]any{"b": 1, "a": gotrue.MustObject(map[string]any{"x": "y"})},
		"when":   time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
	})
	require.NoError(t, err)
	assert.Equal(t, `{"admin":false,"age":42,"mixed":[1,"x",{"y":2,"z":1}],"name":"Ann & Co","nested":{"a":{"x":"y"},"b":1},"none":null,"ratio":0.5,"raw":{"k":[1]},"small":7,"tags":["a","b"],"when":"2026-12-01T00:00:00Z"}`,
		string(o.Bytes()), "keys sorted, values as JSON")

	for name, v := range map[string]any{
		"unsupported type": struct{ A int }{1},
		"NaN":              math.NaN(),
		"infinity":         math.Inf(1),
		"bad RawJSON":      gotrue.RawJSON(`{oops`),
		"nested bad":       map[string]any{"in": []any{make(chan int)}},
	} {
		_, err := gotrue.NewObject(map[string]any{"k": v})
		require.Error(t, err, name)
		assert.True(t, strings.HasPrefix(err.Error(), `gotrue: the value of "k": `), "%s: %v", name, err)
	}
	assert.Panics(t, func() { gotrue.MustObject(map[string]any{"k": math.NaN()}) })
}

func TestObjectSetRejectsInvalidJSON(t *testing.T) {
	var o gotrue.Object
	require.NoError(t, o.Set("a", gotrue.RawJSON(` 1 `)))
	for _, bad := range []string{`{oops`, ``, `1 2`, `"unterminated`, `nul`} {
		err := o.Set("data", gotrue.RawJSON(bad))
		require.Error(t, err, "%q", bad)
		assert.Equal(t, `gotrue: the value of "data" is not valid JSON`, err.Error())
	}
	assert.Equal(t, `{"a":1}`, string(o.Bytes()), "a rejected value changes nothing; a valid one is stored without its spaces")

	// So an update with broken data never reaches the server.
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, false)
	var attrs gotrue.Object
	require.Error(t, attrs.Set("data", gotrue.RawJSON(`{oops`)))
	w.api.handle("PUT /user", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, fakeUserJSON) })
	n := len(w.api.requests)
	require.NoError(t, u.Update(ctx, gotrue.MustObject(map[string]any{"data": map[string]any{"plan": "pro"}})))
	assert.Equal(t, `{"data":{"plan":"pro"}}`, string(w.api.requests[n].Body))
}

func TestRawJSONWithEncodingJSON(t *testing.T) {
	type envelope struct {
		Data gotrue.RawJSON `json:"data"`
		None gotrue.RawJSON `json:"none"`
	}
	b, err := json.Marshal(envelope{Data: gotrue.RawJSON(`{"a":[1,2]}`)})
	require.NoError(t, err)
	assert.Equal(t, `{"data":{"a":[1,2]},"none":null}`, string(b), "the value, not base64")

	var back envelope
	require.NoError(t, json.Unmarshal([]byte(`{"data": {"b":true}}`), &back))
	assert.Equal(t, `{"b":true}`, string(back.Data))

	o := gotrue.MustObject(map[string]any{"x": 1})
	b, err = json.Marshal(map[string]any{"o": o})
	require.NoError(t, err)
	assert.Equal(t, `{"o":{"x":1}}`, string(b))
}

func TestNewDefaultsToTheSiteIdentityAPI(t *testing.T) {
	assert.Equal(t, gotrue.DefaultAPIURL, gotrue.New("", gotrue.Options{}).APIURL())
	assert.Equal(t, "https://example.com/api", gotrue.New("https://example.com/api", gotrue.Options{}).APIURL())
}

func TestUserData(t *testing.T) {
	d, err := gotrue.ParseUserData([]byte(`{"id":"u1","aud":"site","role":"admin","email":"ann@example.com",` +
		`"confirmed_at":"2026-01-02T03:04:05.678901Z","invited_at":"2026-01-02T04:04:05+01:00",` +
		`"created_at":"2025-12-31T23:59:59Z","updated_at":"not a time","recovery_sent_at":null,` +
		`"new_email":"new@example.com","email_change_sent_at":"2026-02-28T00:00:00Z",` +
		`"app_metadata":{"provider":"email","roles":["admin"]},"user_metadata":"not an object"}`))
	require.NoError(t, err)
	assert.Equal(t, "u1", d.ID)
	assert.Equal(t, "site", d.Aud)
	assert.Equal(t, "admin", d.Role)
	assert.Equal(t, "ann@example.com", d.Email)
	assert.Equal(t, "new@example.com", d.NewEmail)
	// Milliseconds: what both builds keep (the browser's clock has no more).
	assert.Equal(t, int64(1767323045678), d.ConfirmedAt.UnixMilli())
	assert.Equal(t, int64(1767323045000), d.InvitedAt.UnixMilli(), "offset applied")
	assert.Equal(t, int64(1767225599000), d.CreatedAt.UnixMilli())
	assert.Equal(t, int64(1772236800000), d.EmailChangeSentAt.UnixMilli())
	assert.True(t, d.UpdatedAt.IsZero(), "a malformed time is zero")
	assert.True(t, d.RecoverySentAt.IsZero(), "null is zero")
	assert.True(t, d.ConfirmationSentAt.IsZero(), "absent is zero")
	assert.Equal(t, `{"provider":"email","roles":["admin"]}`, string(d.AppMetadata.Bytes()))
	assert.Equal(t, 0, d.UserMetadata.Len(), "a field of the wrong type is empty")
	assert.Contains(t, string(d.Raw), `"user_metadata":"not an object"`, "Raw keeps everything")

	for _, bad := range []string{`[]`, `null`, `"x"`, `{`} {
		_, err := gotrue.ParseUserData([]byte(bad))
		assert.Error(t, err, bad)
	}

	// A logged-in user's data, typed.
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, false)
	ud := u.Data()
	assert.Equal(t, "11111111-2222-4333-8444-555555555555", ud.ID)
	assert.Equal(t, "Ann & Co", ud.UserMetadata.String("full_name"))
	assert.Equal(t, int64(1767225600000), ud.ConfirmedAt.UnixMilli())
}

func TestTimestampsOfEveryShape(t *testing.T) {
	for s, want := range map[string]int64{
		"1970-01-01T00:00:00Z":           0,
		"2000-02-29T12:00:00Z":           951825600000,
		"2026-11-30T23:59:59.999Z":       1796083199999,
		"2026-12-01T01:00:00+01:00":      1796083200000,
		"2026-11-30T19:00:00-05:00":      1796083200000,
		"1969-12-31T23:59:59Z":           -1000,
		"2026-12-01T00:00:00.123456789Z": 1796083200123,
	} {
		d, err := gotrue.ParseUserData([]byte(`{"created_at":"` + s + `"}`))
		require.NoError(t, err)
		assert.Equal(t, want, d.CreatedAt.UnixMilli(), s)
	}
	for _, s := range []string{"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-01 00:00:00Z", "2026-12-01T00:00:00", "2026-12-01T24:00:00Z", "2026-12-01T00:00:00.Z", "2026-12-01T00:00:00+1:00", "x"} {
		d, err := gotrue.ParseUserData([]byte(`{"created_at":"` + s + `"}`))
		require.NoError(t, err)
		assert.True(t, d.CreatedAt.IsZero(), s)
	}
}

// Every answer of the admin API and signup is typed, with the raw answer
// beside it, even when the server sends something else than a user.
func TestTypedAnswers(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.api.handle("POST /signup", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, fakeUserJSON) })
	d, err := w.client.Signup(ctx, "ann@example.com", "pw", gotrue.Object{})
	require.NoError(t, err)
	assert.Equal(t, "ann@example.com", d.Email)
	assert.Equal(t, fakeUserJSON, string(d.Raw))

	w.api.handle("GET /admin/users/odd", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, `[1]`) })
	d, err = w.client.Admin("op").GetUser(ctx, "odd")
	require.NoError(t, err, "passed on, as gotrue-js passes any answer on")
	assert.Equal(t, `[1]`, string(d.Raw))
	assert.Empty(t, d.ID)
}

// errors.AsType finds the HTTPError inside the typed errors.
func TestErrorsAsType(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	_, err := w.client.Login(ctx, "nobody@example.com", "x", false)
	he, ok := errors.AsType[*gotrue.HTTPError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, 400, he.Status)
	je, ok := errors.AsType[*gotrue.JSONHTTPError](err)
	require.True(t, ok)
	assert.Same(t, he, &je.HTTPError)
}

// The client, not the transport, caps what it accepts: a custom transport
// that reads everything still has a long answer refused, and is told the
// limit.
func TestClientCapsTheAnswerOfAnyTransport(t *testing.T) {
	var seen int
	big := strings.Repeat("x", 9)
	tr := gotrue.TransportFunc(func(_ xcontext.Context, r *gotrue.Request) (*gotrue.Response, error) {
		seen = r.MaxBody
		return &gotrue.Response{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: []byte(`"` + big + `"`)}, nil
	})
	_, err := gotrue.New("https://example.com", gotrue.Options{Transport: tr, MaxBody: 10}).Settings(ctx)
	ie, ok := errors.AsType[*gotrue.InvalidAnswerError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "gotrue: invalid answer from the server (status 200): the body is larger than the 10 bytes the client accepts", ie.Error())
	assert.Equal(t, 10, seen)

	_, err = gotrue.New("https://example.com", gotrue.Options{Transport: tr, MaxBody: 11}).Settings(ctx)
	require.NoError(t, err, "11 bytes fit")
	_, err = gotrue.New("https://example.com", gotrue.Options{Transport: tr}).Settings(ctx)
	require.NoError(t, err)
	assert.Equal(t, gotrue.DefaultMaxBody, seen, "8 MiB by default")
}
