package gotrue

import (
	"strconv"

	time "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"
)

// Token is a token response as the server sent it (access_token,
// token_type, expires_in, refresh_token, in the server's order and with any
// other field it had) plus expires_at, the access token's expiry in Unix
// milliseconds, as gotrue-js keeps it.
type Token struct {
	fields Object
}

// ParseToken decodes a token response or a saved token.
func ParseToken(data []byte) (*Token, error) {
	obj, err := ParseObject(data)
	if err != nil {
		return nil, err
	}
	return &Token{fields: obj}, nil
}

// NewToken makes a Token from its parts, for a Go caller that holds them
// (for example from an OAuth callback).
func NewToken(accessToken, tokenType string, expiresIn int, refreshToken string) *Token {
	t := &Token{}
	t.fields.put("access_token", jsonString(accessToken))
	t.fields.put("token_type", jsonString(tokenType))
	t.fields.put("expires_in", RawJSON(strconv.Itoa(expiresIn)))
	t.fields.put("refresh_token", jsonString(refreshToken))
	return t
}

// AccessToken is the JWT sent as the bearer.
func (t *Token) AccessToken() string { return t.fields.String("access_token") }

// RefreshToken is the single-use token that buys a new access token.
func (t *Token) RefreshToken() string { return t.fields.String("refresh_token") }

// TokenType is "bearer".
func (t *Token) TokenType() string { return t.fields.String("token_type") }

// ExpiresAt is the access token's expiry in Unix milliseconds, clamped to
// what a JavaScript Date holds; 0 when it is unknown.
func (t *Token) ExpiresAt() int64 {
	f, _ := t.fields.Number("expires_at")
	switch {
	case f > maxDate:
		return maxDate
	case f < -maxDate:
		return -maxDate
	case f != f: // NaN, which JSON cannot hold
		return 0
	}
	return int64(f)
}

// fresh reports whether the access token needs no refresh at now. It is
// gotrue-js's float compare, expires_at - 60000 < Date.now(), so that no
// saved expires_at, however far out of int64's range, wraps around. An
// unknown expiry (gotrue-js: NaN, never refreshed) refreshes.
func (t *Token) fresh(now time.Time) bool {
	at, ok := t.fields.Number("expires_at")
	return ok && at-float64(expiryMargin.Milliseconds()) >= float64(now.UnixMilli())
}

// usable reports whether a token another tab bought is good to adopt
// instead of spending it: fresh, or, for a token whose whole life is
// shorter than the expiry margin (never fresh), not yet expired. Spending
// it would buy another short-lived token with no gain, and a request.
func (t *Token) usable(now time.Time) bool {
	if t.fresh(now) {
		return true
	}
	life, ok := t.fields.Number("expires_in")
	at, known := t.fields.Number("expires_at")
	return ok && known && life*1000 <= float64(expiryMargin.Milliseconds()) && at > float64(now.UnixMilli())
}

// Expiry is ExpiresAt as a time.
func (t *Token) Expiry() time.Time { return time.UnixMilli(t.ExpiresAt()) }

// MarshalJSON writes the token as gotrue-js stores it.
func (t *Token) MarshalJSON() ([]byte, error) { return t.fields.MarshalJSON() }

// clone copies the token so that callers never share one with the user.
func (t *Token) clone() *Token { return &Token{fields: t.fields.Clone()} }

// setExpiry sets expires_at from the access token's exp claim. When the
// claims cannot be read (gotrue-js logs and leaves expires_at unset, so the
// token is never refreshed) we fall back to now + expires_in, else to 0 so
// that the next jwt() refreshes. A saved token that already has an
// expires_at keeps it. The log line never contains the token.
func (t *Token) setExpiry(now time.Time, log Logger) {
	claims, err := ParseClaims(t.AccessToken())
	if err == nil {
		t.fields.put("expires_at", RawJSON(strconv.FormatInt(expiresAtMillis(claims.Exp), 10)))
		return
	}
	log.Error("Gotrue-js: Failed to parse tokenResponse claims: " + err.Error())
	if _, ok := t.fields.Number("expires_at"); ok {
		return // a saved token keeps the expiry it was saved with
	}
	at := int64(0)
	if in, ok := t.fields.Number("expires_in"); ok && in > 0 && in < 1e9 {
		at = now.UnixMilli() + int64(in*1000)
	}
	t.fields.put("expires_at", RawJSON(strconv.FormatInt(at, 10)))
}
