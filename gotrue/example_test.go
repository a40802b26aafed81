//go:build !js

package gotrue_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// A whole signup: sign up, confirm with the token from the mail, log in,
// and change the user's metadata.
func Example() {
	idp := gotruetest.New(gotruetest.Config{})
	srv := httptest.NewServer(idp)
	defer srv.Close()
	ctx := context.Background()

	client := gotrue.New(srv.URL, gotrue.Options{})
	data := gotrue.MustObject(map[string]any{"full_name": "Ann"})
	if _, err := client.Signup(ctx, "ann@example.com", "s3cret", data); err != nil {
		fmt.Println(err)
		return
	}
	mail, _ := idp.LastMail("ann@example.com", gotruetest.KindConfirmation)
	if _, err := client.Confirm(ctx, mail.Token, false); err != nil {
		fmt.Println(err)
		return
	}

	user, err := client.Login(ctx, "ann@example.com", "s3cret", true)
	if err != nil {
		fmt.Println(err)
		return
	}
	attrs := gotrue.MustObject(map[string]any{"data": map[string]any{"full_name": "Ann Smith"}})
	if err := user.Update(ctx, attrs); err != nil {
		fmt.Println(err)
		return
	}
	data = user.Data().UserMetadata
	fmt.Println(user.Email(), data.String("full_name"))
	fmt.Println(client.CurrentUser() == user)
	// Output:
	// ann@example.com Ann Smith
	// true
}

// A Go backend (a Netlify function, say) manages users with the operator
// token it is given, without any logged-in user.
func ExampleClient_Admin() {
	idp := gotruetest.New(gotruetest.Config{OperatorToken: "operator-token"})
	srv := httptest.NewServer(idp)
	defer srv.Close()
	ctx := context.Background()

	admin := gotrue.New(srv.URL, gotrue.Options{}).Admin("operator-token")
	created, err := admin.CreateUser(ctx, "bob@example.com", "pw", gotrue.MustObject(map[string]any{"confirm": true}))
	if err != nil {
		fmt.Println(err)
		return
	}

	// GoTrue ignores app_metadata when it creates a user: set roles after.
	roles := gotrue.MustObject(map[string]any{"app_metadata": map[string]any{"roles": []string{"editor"}}})
	user, err := admin.UpdateUser(ctx, created.ID, roles)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(user.Email, string(user.AppMetadata.Bytes()), !user.ConfirmedAt.IsZero())

	if _, err := admin.DeleteUser(ctx, user.ID); err != nil {
		fmt.Println(err)
		return
	}
	_, err = admin.GetUser(ctx, user.ID)
	fmt.Println(err)
	// Output:
	// bob@example.com {"provider":"email","roles":["editor"]} true
	// User not found
}

// Errors are typed: errors.As finds the status and the server's JSON.
func ExampleJSONHTTPError() {
	srv := httptest.NewServer(gotruetest.New(gotruetest.Config{}))
	defer srv.Close()

	_, err := gotrue.New(srv.URL, gotrue.Options{}).Login(context.Background(), "nobody@example.com", "x", false)
	var je *gotrue.JSONHTTPError
	if errors.As(err, &je) {
		fmt.Println(je.Status, je.Message)
	}
	// Output:
	// 400 invalid_grant: No user found with that email, or password invalid.
}

// jwt refreshes the access token when it is about to expire; callers that
// need it at the same moment share one request.
func ExampleUser_JWT() {
	idp := gotruetest.New(gotruetest.Config{Autoconfirm: true})
	srv := httptest.NewServer(idp)
	defer srv.Close()
	ctx := context.Background()

	client := gotrue.New(srv.URL, gotrue.Options{})
	_, _ = client.Signup(ctx, "cy@example.com", "pw", gotrue.Object{})
	user, err := client.Login(ctx, "cy@example.com", "pw", false)
	if err != nil {
		fmt.Println(err)
		return
	}
	before := user.Token().RefreshToken()
	jwt, err := user.JWT(ctx, true) // force a refresh
	if err != nil {
		fmt.Println(err)
		return
	}
	claims, _ := gotrue.ParseClaims(jwt)
	fmt.Println(claims.Email, user.Token().RefreshToken() != before)
	// Output:
	// cy@example.com true
}

// Subscribers hear of every change of the session: logins, logouts, token
// refreshes and updates, whichever client of the session made them.
func ExampleClient_Subscribe() {
	idp := gotruetest.New(gotruetest.Config{Autoconfirm: true})
	srv := httptest.NewServer(idp)
	defer srv.Close()
	ctx := context.Background()

	client := gotrue.New(srv.URL, gotrue.Options{})
	stop := client.Subscribe(func(e gotrue.Event) {
		if e.User != nil {
			fmt.Println(e.Kind, e.User.Email())
		} else {
			fmt.Println(e.Kind)
		}
	})
	defer stop()

	_, _ = client.Signup(ctx, "dee@example.com", "pw", gotrue.Object{})
	user, err := client.Login(ctx, "dee@example.com", "pw", false)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, _ = user.JWT(ctx, true)
	_ = user.Logout(ctx)
	// Output:
	// login dee@example.com
	// token_refresh dee@example.com
	// logout
}

// A page opened from a mail link, or at the end of an external login,
// finds what to do in its URL's fragment.
func ExampleParseRedirect() {
	for _, url := range []string{
		"https://example.com/#confirmation_token=Qz8x",
		"https://example.com/#invite_token=Hk2a&tab=team",
		"https://example.com/#error=access_denied&error_description=Signups+not+allowed",
		"https://example.com/about",
	} {
		r := gotrue.ParseRedirect(url)
		if r == nil {
			fmt.Println("nothing to do")
			continue
		}
		switch r.Kind {
		case gotrue.RedirectError:
			fmt.Println(r.Kind, r.Err, "→", r.URL)
		default:
			fmt.Println(r.Kind, r.Token, "→", r.URL)
		}
	}
	// Output:
	// confirmation Qz8x → https://example.com/
	// invite Hk2a → https://example.com/#tab=team
	// error Signups not allowed → https://example.com/
	// nothing to do
}

// One page of users, with the count of all of them.
func ExampleAdmin_ListUsers() {
	idp := gotruetest.New(gotruetest.Config{OperatorToken: "operator-token"})
	srv := httptest.NewServer(idp)
	defer srv.Close()
	ctx := context.Background()

	admin := gotrue.New(srv.URL, gotrue.Options{}).Admin("operator-token")
	for _, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		if _, err := admin.InviteUser(ctx, email, gotrue.Object{}); err != nil {
			fmt.Println(err)
			return
		}
	}
	page, err := admin.ListUsers(ctx, gotrue.ListUsersOptions{Page: 2, PerPage: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(page.Total, len(page.Users), page.Users[0].Email) // newest first
	// Output:
	// 3 1 a@example.com
}

// User data from Go values: keys in order, values as JSON.
func ExampleNewObject() {
	data, err := gotrue.NewObject(map[string]any{
		"full_name": "Ann",
		"tags":      []string{"beta"},
		"age":       42,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(data.Bytes()))

	_, err = gotrue.NewObject(map[string]any{"ch": make(chan int)})
	fmt.Println(err)
	// Output:
	// {"age":42,"full_name":"Ann","tags":["beta"]}
	// gotrue: the value of "ch": unsupported type (use RawJSON, or a type with a MarshalJSON method)
}

// A user as the server describes it, typed.
func ExampleParseUserData() {
	d, err := gotrue.ParseUserData([]byte(`{"id":"8c5e","email":"ann@example.com","role":"admin",` +
		`"confirmed_at":"2026-11-30T09:15:00Z","user_metadata":{"full_name":"Ann"}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.ID, d.Email, d.Role, d.ConfirmedAt.Format(time.DateOnly), d.UserMetadata.String("full_name"))
	fmt.Println(d.InvitedAt.IsZero())
	// Output:
	// 8c5e ann@example.com admin 2026-11-30 Ann
	// true
}
