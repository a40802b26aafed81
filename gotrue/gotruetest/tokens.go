package gotruetest

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// tokenClaims is the real server's access-token payload: exp, sub, email
// and both metadata maps, aud only when non-empty, no iat or jti. aud is a
// plain string (golang-jwt's RegisteredClaims would encode it as an array).
type tokenClaims struct {
	Aud          string           `json:"aud,omitempty"`
	Exp          *jwt.NumericDate `json:"exp"`
	Sub          string           `json:"sub"`
	Email        string           `json:"email"`
	AppMetadata  map[string]any   `json:"app_metadata"`
	UserMetadata map[string]any   `json:"user_metadata"`
}

func (c *tokenClaims) GetExpirationTime() (*jwt.NumericDate, error) { return c.Exp, nil }
func (c *tokenClaims) GetIssuedAt() (*jwt.NumericDate, error)       { return nil, nil }
func (c *tokenClaims) GetNotBefore() (*jwt.NumericDate, error)      { return nil, nil }
func (c *tokenClaims) GetIssuer() (string, error)                   { return "", nil }
func (c *tokenClaims) GetSubject() (string, error)                  { return c.Sub, nil }
func (c *tokenClaims) GetAudience() (jwt.ClaimStrings, error) {
	if c.Aud == "" {
		return nil, nil
	}
	return jwt.ClaimStrings{c.Aud}, nil
}

// tokenResponse is the OAuth2 answer of /token and /verify.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
}

func signAccessToken(u *user, cfg Config, now time.Time) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, &tokenClaims{
		Aud:          u.aud,
		Exp:          jwt.NewNumericDate(now.Add(cfg.TokenLifetime)),
		Sub:          u.id,
		Email:        u.email,
		AppMetadata:  copyMap(u.appMeta),
		UserMetadata: copyMap(u.userMeta),
	})
	t.Header["kid"] = "nf-ident" // what Netlify's tokens carry
	return t.SignedString([]byte(cfg.JWTSecret))
}

// parseAccessToken verifies an HS256 token against the configured secret
// and clock. Its error names the reason only, never the token.
func parseAccessToken(bearer string, cfg Config) (*tokenClaims, error) {
	claims := &tokenClaims{}
	p := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithTimeFunc(cfg.Now))
	if _, err := p.ParseWithClaims(bearer, claims, func(*jwt.Token) (any, error) {
		return []byte(cfg.JWTSecret), nil
	}); err != nil {
		return nil, err
	}
	return claims, nil
}

// grantLocked mints an access token and a fresh single-use refresh token.
func (s *Server) grantLocked(u *user, cfg Config, now time.Time) (*tokenResponse, error) {
	jwtStr, err := signAccessToken(u, cfg, now)
	if err != nil {
		return nil, err
	}
	rt := randomToken(16)
	s.refresh[rt] = refreshGrant{userID: u.id, issued: now}
	return &tokenResponse{
		AccessToken:  jwtStr,
		TokenType:    "bearer",
		ExpiresIn:    int(cfg.TokenLifetime / time.Second),
		RefreshToken: rt,
	}, nil
}

// refreshGrant is a refresh token's record. Rotation revokes a token
// rather than deleting it, because the real server answers a revoked token
// differently from an unknown one.
type refreshGrant struct {
	userID  string
	revoked bool
	issued  time.Time
}

// deleteGrantsLocked drops every refresh token of a user, revoked ones
// too (logout, deletion).
func (s *Server) deleteGrantsLocked(userID string) {
	for t, g := range s.refresh {
		if g.userID == userID {
			delete(s.refresh, t)
		}
	}
}

var bearerFormat = regexp.MustCompile(`^(?:B|b)earer (\S+$)`)

func bearerToken(r *http.Request) (string, bool) {
	m := bearerFormat.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return "", false
	}
	return m[1], true
}

// authenticate is the real requireAuthentication: a valid bearer JWT or
// 401, and an auth failure also clears the nf_jwt cookie.
func (s *Server) authenticate(c *call) error {
	bearer, ok := bearerToken(c.r)
	if !ok {
		clearCookie(c)
		return unauthorized("This endpoint requires a Bearer token")
	}
	return s.verifyBearer(c, bearer)
}

func (s *Server) verifyBearer(c *call, bearer string) error {
	claims, err := parseAccessToken(bearer, c.cfg)
	if err != nil {
		clearCookie(c)
		return unauthorized("Invalid token: %s", tokenProblem(err))
	}
	c.bearer, c.claims = bearer, claims
	return nil
}

// tokenProblem names what is wrong with a bearer as the real server's
// golang-jwt (v4) does, in phrases that never repeat a part of the token:
// a base64 error gives only a position, and an unknown signing method is
// named only when it is a registered one. Where v4 would quote the
// decoded JSON (a syntax error in the header or claims), it says "token is
// malformed" instead.
func tokenProblem(err error) string {
	var b64 base64.CorruptInputError
	msg := err.Error()
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "token is expired"
	case errors.As(err, &b64):
		return fmt.Sprintf("illegal base64 data at input byte %d", int64(b64))
	case strings.Contains(msg, "invalid number of segments"):
		return "token contains an invalid number of segments"
	case strings.Contains(msg, "signing method (alg) is unspecified"):
		return "signing method (alg) is unspecified."
	case strings.Contains(msg, "signing method (alg) is unavailable"):
		return "signing method (alg) is unavailable."
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		if m := invalidMethod.FindStringSubmatch(msg); m != nil && (m[1] == "none" || slices.Contains(jwt.GetAlgorithms(), m[1])) {
			return "signing method " + m[1] + " is invalid"
		}
		return "signature is invalid"
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "token is malformed"
	default:
		return "token is invalid"
	}
}

var invalidMethod = regexp.MustCompile(`signing method (\S+) is invalid`)

// requestAud is the real server's rule: the X-JWT-AUD header, else the
// token's aud, else the configured default.
func requestAud(c *call) string {
	if aud := c.r.Header.Get(audHeader); aud != "" {
		return aud
	}
	if c.claims != nil && c.claims.Aud != "" {
		return c.claims.Aud
	}
	return c.cfg.Audience
}

// Cookies: with X-Use-Cookie the real server mirrors the access token into
// nf_jwt so that Netlify's edge (and functions) can read it; "session"
// makes it a session cookie.
const (
	cookieName   = "nf_jwt"
	cookieMaxAge = 86400
)

func setCookie(c *call, jwtStr string) {
	mode := c.r.Header.Get(useCookieHeader)
	if mode == "" {
		return
	}
	ck := &http.Cookie{Name: cookieName, Value: jwtStr, Path: "/", HttpOnly: true, Secure: true}
	if mode != "session" {
		ck.Expires = c.now.Add(cookieMaxAge * time.Second)
		ck.MaxAge = cookieMaxAge
	}
	http.SetCookie(c.w, ck)
}

func clearCookie(c *call) {
	http.SetCookie(c.w, &http.Cookie{
		Name: cookieName, Path: "/", HttpOnly: true, Secure: true,
		Expires: c.now.Add(-10 * time.Hour), MaxAge: -1,
	})
}

// randomToken returns n random bytes, base64url-encoded, as the real
// server's crypto.SecureToken does for refresh and mail tokens.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
