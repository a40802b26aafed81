package gotrue

import (
	"encoding/base64"
	"errors"
	"math"
	"strings"
)

// Claims are the parts of an access token's payload the client reads. The
// signature is not checked: the browser has no secret to check it with.
type Claims struct {
	Exp          float64 // seconds since the Unix epoch
	Sub          string
	Email        string
	Aud          string
	AppMetadata  RawJSON // nil when absent
	UserMetadata RawJSON // nil when absent
}

// Errors of ParseClaims. They never contain the token.
var (
	ErrTokenFormat  = errors.New("gotrue: the access token is not a JWT (it needs three dot-separated parts)")
	ErrTokenPayload = errors.New("gotrue: the access token's payload is not base64url-encoded JSON")
	ErrTokenExp     = errors.New("gotrue: the access token has no numeric exp claim")
)

// ParseClaims reads the payload of a JWT without verifying it.
func ParseClaims(token string) (Claims, error) {
	var c Claims
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return c, ErrTokenFormat
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return c, ErrTokenPayload
	}
	obj, err := ParseObject(payload)
	if err != nil {
		return c, ErrTokenPayload
	}
	c.Sub, c.Email, c.Aud = obj.String("sub"), obj.String("email"), obj.String("aud")
	c.AppMetadata, _ = obj.Get("app_metadata")
	c.UserMetadata, _ = obj.Get("user_metadata")
	raw, _ := obj.Get("exp")
	exp, ok := parseNumber(raw)
	if !ok || math.IsInf(exp, 0) || exp <= 0 {
		return c, ErrTokenExp
	}
	c.Exp = exp
	return c, nil
}

// maxDate is the largest time a JavaScript Date holds, in Unix ms.
const maxDate = 8.64e15

// expiresAtMillis is exp × 1000 as gotrue-js stores it, clamped to what
// a JavaScript Date can hold.
func expiresAtMillis(exp float64) int64 {
	ms := exp * 1000
	if ms > maxDate {
		ms = maxDate
	}
	return int64(ms)
}
