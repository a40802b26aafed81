// Package gotrue is a client for GoTrue, the identity service behind Netlify
// Identity. It is a Go port of the behaviour of the JavaScript library
// gotrue-js 1.0.1: the same requests, the same answers, the same session
// format in storage, so that a session saved by one is recovered by the other.
//
// The package is pure Go and runs both natively and in the browser
// (GOOS=js GOARCH=wasm). It reaches the outside world only through three
// small interfaces it owns:
//
//   - [Transport] sends one HTTP request (net/http natively, fetch in the
//     browser);
//   - [Storage] keeps the saved session (a map natively, localStorage in the
//     browser);
//   - [Clock] tells the time used for token expiry.
//
// A [SessionStore] ties the storage to the in-memory current user and to the
// sharing of token refreshes, so that several clients in one page behave as
// gotrue-js's module-level state does.
//
// Where this package deliberately behaves better than gotrue-js, the
// difference is documented on the method: a token refresh that fails for
// any reason other than the server rejecting the refresh token keeps the
// session, and a refresh takes a cross-tab lock (see [Locker]) so that two
// tabs never spend the same refresh token.
//
// # Usage
//
// A client logs users in and keeps their session; [User.JWT] hands out an
// access token, refreshed when it is about to expire:
//
//	client := gotrue.New("https://example.netlify.app/.netlify/identity", gotrue.Options{})
//	user, err := client.Login(ctx, "ann@example.com", "password", true)
//	if err != nil {
//		return err
//	}
//	jwt, err := user.JWT(ctx, false)
//
// User data goes in as an [Object], built from a map or parsed from JSON,
// and comes back typed as [UserData], with the raw answer beside it:
//
//	data := gotrue.MustObject(map[string]any{"full_name": "Ann"})
//	created, err := client.Signup(ctx, "ann@example.com", "password", data)
//	fmt.Println(created.ID, created.ConfirmationSentAt, created.UserMetadata.String("full_name"))
//
// A backend, such as a Netlify function given an operator token, manages
// users without a logged-in user:
//
//	admin := client.Admin(operatorToken)
//	page, err := admin.ListUsers(ctx, gotrue.ListUsersOptions{PerPage: 100})
//	for _, u := range page.Users {
//		fmt.Println(u.Email, u.CreatedAt)
//	}
//
// Errors are typed: the server's answers are [*JSONHTTPError] or
// [*TextHTTPError], both holding an [*HTTPError]; a hung server is
// [ErrTimeout] after [Options.Timeout]:
//
//	if he, ok := errors.AsType[*gotrue.HTTPError](err); ok && he.Status == 422 {
//		// the server refused the input
//	}
//
// The package's examples run these flows against gotruetest, an in-memory
// GoTrue server for tests (go doc -http, or pkg.go.dev, shows them).
//
// No error, log line or panic value produced by this package contains an
// access token, a refresh token or a password.
package gotrue
