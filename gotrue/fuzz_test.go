package gotrue

import (
	"encoding/base64"
	"strings"
	"testing"
)

// FuzzParseClaims: any token reads without a panic, and an error never
// repeats the token.
func FuzzParseClaims(f *testing.F) {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"HS256","kid":"nf-ident","typ":"JWT"}`))
	for _, payload := range []string{
		`{"exp":1900000000,"sub":"u","email":"a@b.c","app_metadata":{"provider":"email"},"user_metadata":{}}`,
		`{"exp":"x"}`, `{"exp":1e400}`, `[]`, `{}`, `{"aud":"a","exp":1.5}`,
	} {
		f.Add(head + "." + enc.EncodeToString([]byte(payload)) + ".sig")
	}
	f.Add("a.b")
	f.Add("...")
	f.Add("a.%%%.c")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := ParseClaims(token)
		if err != nil {
			if len(token) > 8 && strings.Contains(err.Error(), token) {
				t.Fatalf("error repeats the token")
			}
			return
		}
		if c.Exp <= 0 || expiresAtMillis(c.Exp) <= 0 {
			t.Fatalf("accepted a non-positive exp")
		}
	})
}

// FuzzCheckResponse: any answer gives a value or a typed error, and the
// message rewrite never panics.
func FuzzCheckResponse(f *testing.F) {
	f.Add(400, "application/json", `{"error":"invalid_grant","error_description":"No user found with that email, or password invalid."}`)
	f.Add(422, "application/json", `{"code":422,"msg":"Verify requires a token"}`)
	f.Add(404, "text/plain; charset=utf-8", "404 page not found\n")
	f.Add(200, "application/json", `{"access_token":"a.b.c","token_type":"bearer","expires_in":3600,"refresh_token":"r"}`)
	f.Add(502, "text/html", "<html>Bad gateway</html>")
	f.Add(500, "application/json", `{"msg":[1,{"a":2},null]}`)
	f.Add(200, "application/json", `{"a":`)
	f.Fuzz(func(t *testing.T, status int, contentType, body string) {
		resp := &Response{Status: status, StatusText: "S", Header: map[string]string{"Content-Type": contentType}, Body: []byte(body)}
		v, err := checkResponse(resp)
		if err == nil {
			if !validJSON(v) {
				t.Fatalf("value is not JSON")
			}
			return
		}
		_ = rewriteMessage(err).Error()
	})
}

// FuzzSavedSession: any storage entry recovers to a user or to nothing,
// never a panic, and a recovered user saves back to valid JSON.
func FuzzSavedSession(f *testing.F) {
	f.Add(`{"token":{"access_token":"a.eyJleHAiOjE5MDAwMDAwMDB9.c","token_type":"bearer","expires_in":3600,"refresh_token":"r","expires_at":1900000000000},"url":"/.netlify/identity","audience":"","id":"1","email":"a@b.c","app_metadata":{"provider":"email"},"user_metadata":{},"_fromStorage":true}`)
	f.Add(`{"token":"x","url":"y"}`)
	f.Add(`{"token":{},"url":1}`)
	f.Add(`not json`)
	f.Fuzz(func(t *testing.T, entry string) {
		s := NewSessionStore(&MemoryStorage{}, nil)
		_ = s.storage.Set(StorageKey, entry)
		c := New("/id", Options{Session: s})
		u := c.CurrentUser()
		if u == nil {
			return
		}
		b, err := u.MarshalJSON()
		if err != nil || !validJSON(b) {
			t.Fatalf("a recovered user does not save back")
		}
	})
}
