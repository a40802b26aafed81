package devserver

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
)

// newProxy forwards the identity API (already stripped of IdentityPath)
// to a real GoTrue such as https://example.netlify.app/.netlify/identity,
// so the page can run against a live site while staying on this origin.
func newProxy(upstream string, logger *log.Logger) (http.Handler, error) {
	target, err := url.Parse(strings.TrimRight(upstream, "/"))
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return nil, fmt.Errorf("identity URL %q: want an absolute http(s) URL such as https://example.netlify.app/.netlify/identity", upstream)
	}
	if target.RawQuery != "" || target.Fragment != "" || target.User != nil {
		return nil, fmt.Errorf("identity URL %q: want no query, fragment or user info", upstream)
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target) // joins target's path with the stripped one; Host becomes the upstream's
			// The Origin is this dev server's, which the upstream site does
			// not know; from its side these are same-site requests.
			pr.Out.Header.Del("Origin")
		},
		ModifyResponse: func(resp *http.Response) error {
			dropCookieDomains(resp.Header)
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			// Path only: a query (invite_token=…) must not reach the log.
			if logger != nil {
				logger.Printf("identity proxy: %s %s: %v", r.Method, r.URL.Path, err)
			}
			writeJSONError(w, http.StatusBadGateway, "Identity upstream unreachable: "+target.Host)
		},
		ErrorLog: logger,
	}
	return rp, nil
}

// dropCookieDomains removes Domain from the upstream's cookies (nf_jwt):
// a cookie for example.netlify.app would be rejected on 127.0.0.1, and
// without Domain it lands on this origin.
func dropCookieDomains(h http.Header) {
	cookies := h.Values("Set-Cookie")
	if len(cookies) == 0 {
		return
	}
	h.Del("Set-Cookie")
	for _, line := range cookies {
		if c, err := http.ParseSetCookie(line); err == nil && c.Domain != "" {
			c.Domain = ""
			line = c.String()
		}
		h.Add("Set-Cookie", line)
	}
}
