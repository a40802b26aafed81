package gotrue

import (
	"strconv"
	"strings"

	context "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
)

// Admin manages users (gotrue-js's user.admin). It is bound either to a
// user, whose token it sends, or to an operator token; the server decides
// who is an admin.
type Admin struct {
	user   *User
	client *Client
	token  string
}

// Admin returns the admin API with a fixed operator token: what a Go
// backend, such as a Netlify function with clientContext.identity.token,
// uses to manage users without a logged-in user.
func (c *Client) Admin(operatorToken string) *Admin {
	return &Admin{client: c, token: operatorToken}
}

func (a *Admin) request(ctx context.Context, cl call) (RawJSON, error) {
	if a.user != nil {
		return a.user.request(ctx, cl)
	}
	cl.header = map[string]string{"Authorization": "Bearer " + a.token}
	return a.client.request(ctx, cl)
}

// ListUsersOptions choose a page of GET /admin/users. Zero values are the
// server's defaults.
type ListUsersOptions struct {
	// Audience of the users; the user's (or the client's) when empty.
	Audience string
	// Page counts from 1; PerPage is the server's 50 when 0.
	Page, PerPage int
	// Filter keeps the users whose email or full name contain it.
	Filter string
}

// UserPage is one page of users.
type UserPage struct {
	// Users are the page's users, typed.
	Users []*UserData
	// JSON is the server's answer as it is: {aud, users}.
	JSON RawJSON
	// Total counts the users of every page (the X-Total-Count header);
	// -1 when the answer has none, or it cannot be read: a page on
	// another origin than the server sees it only if the server exposes
	// it (Access-Control-Expose-Headers), which netlify/gotrue does not.
	Total int
}

// ListUsers lists one page of the users of opts.Audience (the user's, or
// the client's, when empty), with the total count. The zero options ask
// for the first page, as gotrue-js's listUsers(aud) does.
func (a *Admin) ListUsers(ctx context.Context, opts ListUsersOptions) (*UserPage, error) {
	var q []string
	if opts.Page > 0 {
		q = append(q, "page="+strconv.Itoa(opts.Page))
	}
	if opts.PerPage > 0 {
		q = append(q, "per_page="+strconv.Itoa(opts.PerPage))
	}
	if opts.Filter != "" {
		q = append(q, "filter="+encodeURIComponent(opts.Filter))
	}
	path := "/admin/users"
	if len(q) > 0 {
		path += "?" + strings.Join(q, "&")
	}
	var header map[string]string
	raw, err := a.request(ctx, call{method: "GET", path: path, audience: opts.Audience, answerHeader: &header})
	if err != nil {
		return nil, err
	}
	total := -1
	if n, ok := parseSmallInt([]byte(strings.TrimSpace(headerValue(header, "X-Total-Count")))); ok && n >= 0 {
		total = int(n)
	}
	page := &UserPage{JSON: raw, Total: total}
	// An answer of another shape is passed on as it is, as gotrue-js does.
	o, _ := ParseObject(raw)
	if users, ok := o.Get("users"); ok {
		forEachElement(users, func(v RawJSON) {
			if u, err := ParseObject(v); err == nil {
				page.Users = append(page.Users, userDataOf(u))
			}
		})
	}
	return page, nil
}

// InviteUser invites a new user by mail (POST /invite): the server creates
// the user and mails a link with an invitation token, which the invited
// user's page passes to [Client.AcceptInvite]. data becomes the user's
// user_metadata; an empty Object sends none. The answer is the new user.
func (a *Admin) InviteUser(ctx context.Context, email string, data Object) (*UserData, error) {
	var body Object
	body.put("email", jsonString(email))
	if data.Len() > 0 {
		body.put("data", data.Bytes())
	}
	return a.userRequest(ctx, call{method: "POST", path: "/invite", body: body.Bytes()})
}

// userRequest is a request whose answer is a user.
func (a *Admin) userRequest(ctx context.Context, cl call) (*UserData, error) {
	raw, err := a.request(ctx, cl)
	if err != nil {
		return nil, err
	}
	return userAnswer(raw)
}

// GetUser gets the user with id. Unlike gotrue-js, ids are escaped in the
// path, so that an id such as "../x" cannot reach another route.
func (a *Admin) GetUser(ctx context.Context, id string) (*UserData, error) {
	return a.userRequest(ctx, call{method: "GET", path: "/admin/users/" + encodeURIComponent(id)})
}

// UpdateUser changes the user with id.
func (a *Admin) UpdateUser(ctx context.Context, id string, attributes Object) (*UserData, error) {
	return a.userRequest(ctx, call{method: "PUT", path: "/admin/users/" + encodeURIComponent(id), body: attributes.Bytes()})
}

// CreateUser creates a user; email and password are added to attributes
// (after its own keys, or in place of them), as gotrue-js does.
func (a *Admin) CreateUser(ctx context.Context, email, password string, attributes Object) (*UserData, error) {
	attrs := attributes.Clone()
	attrs.put("email", jsonString(email))
	attrs.put("password", jsonString(password))
	return a.userRequest(ctx, call{method: "POST", path: "/admin/users", body: attrs.Bytes()})
}

// DeleteUser deletes the user with id. The answer is the server's, an
// empty object from netlify/gotrue.
func (a *Admin) DeleteUser(ctx context.Context, id string) (RawJSON, error) {
	return a.request(ctx, call{method: "DELETE", path: "/admin/users/" + encodeURIComponent(id)})
}
