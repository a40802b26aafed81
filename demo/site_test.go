package demo

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// Every element the scripts look up by id exists in index.html, and every
// module they import is there: a renamed id would otherwise only show up
// as a TypeError in the browser.
func TestScriptsMatchThePage(t *testing.T) {
	site := Site()
	page, err := fs.ReadFile(site, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(string(page), -1) {
		if ids[m[1]] {
			t.Errorf("index.html: id %q used twice", m[1])
		}
		ids[m[1]] = true
	}
	lookup := regexp.MustCompile(`\$\('([\w-]+)'\)|getElementById\('([\w-]+)'\)`)
	imports := regexp.MustCompile(`from '\./([\w.-]+)'`)
	scripts, _ := fs.Glob(site, "*.js")
	if len(scripts) == 0 {
		t.Fatal("no scripts")
	}
	for _, name := range scripts {
		src, _ := fs.ReadFile(site, name)
		for _, m := range lookup.FindAllStringSubmatch(string(src), -1) {
			if id := m[1] + m[2]; !ids[id] {
				t.Errorf("%s looks up #%s, which index.html lacks", name, id)
			}
		}
		for _, m := range imports.FindAllStringSubmatch(string(src), -1) {
			if _, err := fs.Stat(site, m[1]); err != nil {
				t.Errorf("%s imports ./%s, which is missing", name, m[1])
			}
		}
	}
}

// Every button that names a call has a handler in calls.js or app.js.
func TestEveryCallHasAHandler(t *testing.T) {
	site := Site()
	page, _ := fs.ReadFile(site, "index.html")
	calls, _ := fs.ReadFile(site, "calls.js")
	app, _ := fs.ReadFile(site, "app.js")
	for _, m := range regexp.MustCompile(`data-call="(\w+)"`).FindAllStringSubmatch(string(page), -1) {
		name := m[1]
		if !strings.Contains(string(calls), "\n    "+name+": ") && !strings.Contains(string(app), "'"+name+"'") {
			t.Errorf("button data-call=%q has no entry in calls.js", name)
		}
	}
}
