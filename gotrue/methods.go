package gotrue

import (
	"errors"

	context "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
)

// Settings gets the server's settings: external providers, disable_signup,
// autoconfirm.
func (c *Client) Settings(ctx context.Context) (RawJSON, error) {
	return c.request(ctx, call{path: "/settings"})
}

// Signup registers a user. data becomes the user's user_metadata; an
// empty Object leaves it out. The answer is the new user, unconfirmed
// unless the server confirms signups itself.
func (c *Client) Signup(ctx context.Context, email, password string, data Object) (*UserData, error) {
	var raw RawJSON
	if data.Len() > 0 {
		raw = data.Bytes()
	}
	answer, err := c.signup(ctx, email, password, raw)
	if err != nil {
		return nil, err
	}
	return userAnswer(answer)
}

// signup sends data as it is, any JSON value, or none when nil: gotrue-js
// sends whatever the page passed ({} and null included).
func (c *Client) signup(ctx context.Context, email, password string, data RawJSON) (RawJSON, error) {
	var body Object
	body.put("email", jsonString(email))
	body.put("password", jsonString(password))
	if data != nil {
		body.put("data", data)
	}
	return c.request(ctx, call{method: "POST", path: "/signup", body: body.Bytes()})
}

// userAnswer types an answer that should be a user. One of another shape
// is passed on in Raw with the typed fields zero, as gotrue-js passes any
// answer on.
func userAnswer(raw RawJSON) (*UserData, error) {
	o, err := ParseObject(raw)
	if err != nil {
		return &UserData{Raw: raw}, nil
	}
	d := userDataOf(o)
	d.Raw = raw
	return d, nil
}

// Login logs a user in with email and password. On success the saved
// session is replaced: by this user when remember, else by none.
//
// Unlike gotrue-js, a login that fails half-way (the token is issued but
// the user cannot be read) leaves the previous session as it was.
func (c *Client) Login(ctx context.Context, email, password string, remember bool) (*User, error) {
	c.setRememberHeaders(remember)
	body := "grant_type=password&username=" + encodeURIComponent(email) + "&password=" + encodeURIComponent(password)
	raw, err := c.request(ctx, call{
		method: "POST",
		path:   "/token",
		header: map[string]string{"Content-Type": formContentType},
		body:   []byte(body),
	})
	if err != nil {
		return nil, err
	}
	tok, err := c.tokenFromAnswer(raw, 200)
	if err != nil {
		return nil, err
	}
	return c.createUser(ctx, tok, remember, true)
}

// Confirm confirms a signup with the token of the confirmation mail and
// logs the user in.
func (c *Client) Confirm(ctx context.Context, token string, remember bool) (*User, error) {
	return c.Verify(ctx, "signup", token, remember)
}

// Recover logs a user in with the token of a recovery mail.
func (c *Client) Recover(ctx context.Context, token string, remember bool) (*User, error) {
	return c.Verify(ctx, "recovery", token, remember)
}

// Verify posts a token of type "signup" or "recovery" and logs the user in.
func (c *Client) Verify(ctx context.Context, typ, token string, remember bool) (*User, error) {
	c.setRememberHeaders(remember)
	var body Object
	body.put("token", jsonString(token))
	body.put("type", jsonString(typ))
	return c.verify(ctx, body, remember)
}

// AcceptInvite sets the password of an invited user with the token of the
// invitation mail and logs the user in.
func (c *Client) AcceptInvite(ctx context.Context, token, password string, remember bool) (*User, error) {
	c.setRememberHeaders(remember)
	var body Object
	body.put("token", jsonString(token))
	body.put("password", jsonString(password))
	body.put("type", jsonString("signup"))
	return c.verify(ctx, body, remember)
}

func (c *Client) verify(ctx context.Context, body Object, remember bool) (*User, error) {
	raw, err := c.request(ctx, call{method: "POST", path: "/verify", body: body.Bytes()})
	if err != nil {
		return nil, err
	}
	tok, err := c.tokenFromAnswer(raw, 200)
	if err != nil {
		return nil, err
	}
	return c.createUser(ctx, tok, remember, false)
}

// RequestPasswordRecovery asks the server to mail a recovery link.
func (c *Client) RequestPasswordRecovery(ctx context.Context, email string) (RawJSON, error) {
	var body Object
	body.put("email", jsonString(email))
	return c.request(ctx, call{method: "POST", path: "/recover", body: body.Bytes()})
}

// LoginExternalURL is the URL that starts a login with an OAuth provider.
func (c *Client) LoginExternalURL(provider string) string {
	return c.APIURL() + "/authorize?provider=" + provider
}

// AcceptInviteExternalURL is the URL that accepts an invitation through an
// OAuth provider.
func (c *Client) AcceptInviteExternalURL(provider, token string) string {
	return c.APIURL() + "/authorize?provider=" + provider + "&invite_token=" + token
}

// CreateUser makes a user from a token response (for example the fragment
// of an OAuth callback), reads the user from the server and saves the
// session when remember.
func (c *Client) CreateUser(ctx context.Context, tok *Token, remember bool) (*User, error) {
	c.setRememberHeaders(remember)
	if tok == nil || tok.AccessToken() == "" {
		return nil, errNoAccessToken
	}
	return c.createUser(ctx, tok.clone(), remember, false)
}

var errNoAccessToken = errors.New("gotrue: the token response has no access_token")

// createUser builds the user, reads its data and only then makes it the
// current user and touches storage: a failure changes nothing. replace
// removes the saved session first (a login).
func (c *Client) createUser(ctx context.Context, tok *Token, remember, replace bool) (*User, error) {
	u := newUser(c, tok, c.Audience())
	u.pending = true
	data, err := u.fetchUserData(ctx, call{method: "GET", path: "/user"})
	if err != nil {
		return nil, err
	}
	u.saveUserData(data)
	u.mu.Lock()
	u.pending = false
	u.mu.Unlock()
	if replace {
		c.session.removeSaved(c.log)
	} else {
		c.session.refreshSaved(u)
	}
	c.session.setCurrent(u)
	if remember {
		c.session.save(u)
	}
	c.session.emit(EventLogin, u)
	return u, nil
}

// tokenFromAnswer reads a token response; one without an access token is
// an error rather than a user who can never make a request.
func (c *Client) tokenFromAnswer(raw RawJSON, status int) (*Token, error) {
	tok, err := ParseToken(raw)
	if err != nil {
		return nil, &InvalidAnswerError{Status: status, Reason: "the token response is not a JSON object"}
	}
	if tok.AccessToken() == "" {
		return nil, &InvalidAnswerError{Status: status, Reason: "the token response has no access_token"}
	}
	return tok, nil
}

// CurrentUser returns the current user: the one in memory, else the one
// saved in storage, else nil. With SetCookie it asks for a persistent
// cookie for a recovered user and a session cookie otherwise, as gotrue-js.
func (c *Client) CurrentUser() *User {
	u := c.session.recover(c)
	if u != nil {
		c.setRememberHeaders(u.FromStorage())
	}
	return u
}

// ValidateCurrentSession reloads the current user from the server. When
// the server rejects the session (a 4xx answer) it is cleared and the
// result is nil, nil.
//
// Deviation from gotrue-js, which clears the session on any failure: when
// the server cannot be reached or fails (a network error, a timeout, a
// 5xx), the user is kept and returned as recovered, with the error, so
// that a page opened offline does not log its user out and the caller can
// still tell that nothing was checked.
func (c *Client) ValidateCurrentSession(ctx context.Context) (*User, error) {
	u := c.CurrentUser()
	if u == nil {
		return nil, nil
	}
	if err := u.GetUserData(ctx); err != nil {
		if isRejection(err) || errors.Is(err, ErrNoToken) {
			u.ClearSession()
			return nil, nil
		}
		return u, err
	}
	return u, nil
}
