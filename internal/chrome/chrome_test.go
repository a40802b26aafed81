package chrome

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestNewRendersALocalPage(t *testing.T) {
	if ExecPath() == "" {
		t.Skip("no Chromium on PATH: run through make, which installs it")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`<title>ok</title><p id="x">hello</p>`))
	}))
	defer srv.Close()
	ctx, cancel := New(context.Background())
	defer cancel()
	ctx, stop := context.WithTimeout(ctx, 30*time.Second)
	defer stop()
	var text string
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL), chromedp.Text("#x", &text)); err != nil {
		t.Fatal(err)
	}
	if text != "hello" {
		t.Fatalf("text = %q", text)
	}
}
