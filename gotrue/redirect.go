package gotrue

import (
	"errors"
	"strings"

	context "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
)

// RedirectKind names what a link into the site brought: the mails of the
// identity server and the end of an external (OAuth) login put their
// token in the URL's fragment.
type RedirectKind string

// The kinds of redirect, named as netlify-identity-widget names the
// fragments it reads (#confirmation_token=…, #access_token=…, #error=…).
const (
	RedirectConfirmation RedirectKind = "confirmation"
	RedirectRecovery     RedirectKind = "recovery"
	RedirectInvite       RedirectKind = "invite"
	RedirectEmailChange  RedirectKind = "email_change"
	RedirectExternal     RedirectKind = "external"
	RedirectError        RedirectKind = "error"
)

// The fragment parameters of a mail's token, in the order they are looked
// for (a fragment holds one).
var mailTokenKinds = []RedirectKind{RedirectConfirmation, RedirectRecovery, RedirectInvite, RedirectEmailChange}

// The parameters of an external login's token response that the server
// puts in the fragment, and state, which a page's own OAuth flow may add.
var externalParams = []string{"access_token", "token_type", "expires_in", "refresh_token", "state"}

// Redirect is what [ParseRedirect] found in a URL.
type Redirect struct {
	Kind RedirectKind
	// Token is the mail's token (confirmation, recovery, invite,
	// email_change).
	Token string
	// TokenResponse is an external login's token, its fields strings as
	// they came in the URL (as gotrue-js's createUser receives them from
	// netlify-identity-widget).
	TokenResponse *Token
	// Err is the error an external login ended with.
	Err *ExternalLoginError
	// URL is the URL without the parameters used, to show in the
	// address bar: a reload must not spend a token twice.
	URL string
}

// ExternalLoginError is the error of an external login that failed, as the
// server puts it in the fragment: #error=access_denied&error_description=….
type ExternalLoginError struct {
	Code        string // error
	Description string // error_description
}

func (e *ExternalLoginError) Error() string {
	if e.Description != "" {
		return e.Description
	}
	return e.Code
}

// ParseRedirect reads the fragment of rawURL (after "#", or "#/") as
// netlify-identity-widget does, and returns nil when it holds nothing to
// handle. Parameters are form-encoded (%XX, + for a space).
func ParseRedirect(rawURL string) *Redirect {
	base, frag, ok := strings.Cut(rawURL, "#")
	if !ok {
		return nil
	}
	frag = strings.TrimPrefix(frag, "/")
	var keys, vals, raws []string
	for _, pair := range strings.Split(frag, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		keys, vals, raws = append(keys, formDecode(k)), append(vals, formDecode(v)), append(raws, pair)
	}
	get := func(name string) (string, bool) {
		for i, k := range keys {
			if k == name {
				return vals[i], true
			}
		}
		return "", false
	}
	r := &Redirect{}
	var used []string
	if code, ok := get("error"); ok {
		desc, _ := get("error_description")
		r.Kind, r.Err = RedirectError, &ExternalLoginError{Code: code, Description: desc}
		used = []string{"error", "error_description"}
	}
	for _, kind := range mailTokenKinds {
		if r.Kind != "" {
			break
		}
		if tok, ok := get(string(kind) + "_token"); ok && tok != "" {
			r.Kind, r.Token = kind, tok
			used = []string{string(kind) + "_token"}
		}
	}
	if at, ok := get("access_token"); ok && at != "" && r.Kind == "" {
		r.Kind, r.TokenResponse = RedirectExternal, &Token{}
		for _, name := range externalParams[:4] {
			if v, ok := get(name); ok {
				r.TokenResponse.fields.put(name, jsonString(v))
			}
		}
		used = externalParams
	}
	if r.Kind == "" {
		return nil
	}
	var rest []string
	for i, k := range keys {
		if !contains(used, k) {
			rest = append(rest, raws[i])
		}
	}
	r.URL = base
	if len(rest) > 0 {
		r.URL += "#" + strings.Join(rest, "&")
	}
	return r
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// formDecode undoes form encoding: + is a space, %XX a byte; a broken
// escape stays as it is.
func formDecode(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// RedirectResult is what [Client.HandleRedirect] did.
type RedirectResult struct {
	Kind RedirectKind
	// User is the user logged in (confirmation, recovery, external) or
	// changed (email_change).
	User *User
	// Token is an invitation's token, for [Client.AcceptInvite] once the
	// invited user has chosen a password.
	Token string
	// Err is the error an external login ended with (RedirectError): an
	// *ExternalLoginError.
	Err error
}

// ErrNotLoggedIn: an email change link was opened without a current
// user, whose email it changes.
var ErrNotLoggedIn = errors.New("gotrue: an email change link needs the user to be logged in")

// HandleRedirect does what r asks: a confirmation or recovery link
// logs its user in (a recovery link so that the page can then ask for a
// new password), an external login's token logs its user in, an email
// change link is applied to the current user; an invitation only gives
// its token back, and an error is returned in the result. remember saves
// the session, as for Login. The server's errors are returned as
// errors.
func (c *Client) HandleRedirect(ctx context.Context, r *Redirect, remember bool) (*RedirectResult, error) {
	res := &RedirectResult{Kind: r.Kind}
	var err error
	switch r.Kind {
	case RedirectConfirmation:
		res.User, err = c.Confirm(ctx, r.Token, remember)
	case RedirectRecovery:
		res.User, err = c.Recover(ctx, r.Token, remember)
	case RedirectInvite:
		res.Token = r.Token
	case RedirectEmailChange:
		u := c.CurrentUser()
		if u == nil {
			return nil, ErrNotLoggedIn
		}
		var attrs Object
		attrs.SetString("email_change_token", r.Token)
		err = u.Update(ctx, attrs)
		res.User = u
	case RedirectExternal:
		res.User, err = c.CreateUser(ctx, r.TokenResponse, remember)
	case RedirectError:
		res.Err = r.Err
	default:
		return nil, errors.New("gotrue: unknown redirect kind " + string(r.Kind))
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}
