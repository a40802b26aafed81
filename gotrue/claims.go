package gotrue

import (
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
	payload, ok := decodeBase64URL(strings.TrimRight(parts[1], "="))
	if !ok {
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

// decodeBase64URL decodes unpadded base64url by the rules of
// base64.RawURLEncoding.DecodeString, whose package would add 25 KB to
// gotrue.wasm for this one call: it skips '\r' and '\n', refuses any other
// byte outside the alphabet (a '=' too) and a last group of one character,
// and, not being Strict, ignores the unused low bits of the last character.
// FuzzDecodeBase64URL compares the two.
func decodeBase64URL(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s)/4*3+2)
	var acc uint32 // the bits of up to four characters
	n := 0         // characters in acc
	for i := 0; i < len(s); i++ {
		var v byte
		switch c := s[i]; {
		case 'A' <= c && c <= 'Z':
			v = c - 'A'
		case 'a' <= c && c <= 'z':
			v = c - 'a' + 26
		case '0' <= c && c <= '9':
			v = c - '0' + 52
		case c == '-':
			v = 62
		case c == '_':
			v = 63
		case c == '\r' || c == '\n':
			continue
		default:
			return nil, false
		}
		acc = acc<<6 | uint32(v)
		if n++; n == 4 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc, n = 0, 0
		}
	}
	switch n {
	case 1:
		return nil, false
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return out, true
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
