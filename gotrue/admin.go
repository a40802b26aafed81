package gotrue

import (
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

// ListUsers lists the users of audience aud (the user's audience when
// empty): {aud, users}.
func (a *Admin) ListUsers(ctx context.Context, aud string) (RawJSON, error) {
	return a.request(ctx, call{method: "GET", path: "/admin/users", audience: aud})
}

// GetUser gets the user with id. Unlike gotrue-js, ids are escaped in the
// path, so that an id such as "../x" cannot reach another route.
func (a *Admin) GetUser(ctx context.Context, id string) (RawJSON, error) {
	return a.request(ctx, call{method: "GET", path: "/admin/users/" + encodeURIComponent(id)})
}

// UpdateUser changes the user with id.
func (a *Admin) UpdateUser(ctx context.Context, id string, attributes Object) (RawJSON, error) {
	return a.request(ctx, call{method: "PUT", path: "/admin/users/" + encodeURIComponent(id), body: jsonBody(attributes)})
}

// CreateUser creates a user; email and password are added to attributes
// (after its own keys, or in place of them), as gotrue-js does.
func (a *Admin) CreateUser(ctx context.Context, email, password string, attributes Object) (RawJSON, error) {
	attrs := attributes.Clone()
	attrs.Set("email", jsonString(email))
	attrs.Set("password", jsonString(password))
	return a.request(ctx, call{method: "POST", path: "/admin/users", body: jsonBody(attrs)})
}

// DeleteUser deletes the user with id.
func (a *Admin) DeleteUser(ctx context.Context, id string) (RawJSON, error) {
	return a.request(ctx, call{method: "DELETE", path: "/admin/users/" + encodeURIComponent(id)})
}
