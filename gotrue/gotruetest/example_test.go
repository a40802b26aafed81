package gotruetest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// A dev server mounts the identity API where Netlify serves it, next to
// the site and the mailbox of the local stand-in mailer.
func Example() {
	identity := gotruetest.New(gotruetest.Config{
		SiteURL:     "http://127.0.0.1:8080",
		Autoconfirm: true,
	})
	mux := http.NewServeMux()
	mux.Handle("/.netlify/identity/", http.StripPrefix("/.netlify/identity", identity))
	mux.Handle("/mailbox", identity.MailboxHandler())

	// In a real dev server: http.ListenAndServe("127.0.0.1:8080", mux).
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "/.netlify/identity/settings", nil))
	body, _ := io.ReadAll(w.Result().Body)
	fmt.Println(w.Code, string(body))
	// Output:
	// 200 {"external":{"bitbucket":true,"github":true,"gitlab":true,"google":true,"facebook":false,"email":true,"saml":false},"external_labels":{},"disable_signup":false,"autoconfirm":true}
}
