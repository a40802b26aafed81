package docs

import (
	"bytes"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// outside are phrases that point at notes kept beside the repository
// rather than in it. A clone must be complete in itself, so no Markdown
// file may mention them, and no source file may cite them. They are
// built by concatenation so that this file does not match itself.
var outside = []string{
	"../" + "shared",
	"/work/" + "shared",
	"CONTRACT" + ".md",
	"DESIGN" + ".md",
}

// citations are the forms in which code once cited those notes.
var citations = []string{
	"CONTRACT" + " §",
	"CONTRACT" + " deviation",
	"CONTRACT" + " row",
}

// TestMarkdownLinks checks every Markdown file of the repository: each
// relative link, image or reference definition must name a file or
// directory that exists, and a #fragment into a Markdown file must name
// one of its headings.
func TestMarkdownLinks(t *testing.T) {
	root := repoRoot(t)
	files := repoFiles(t, root, func(p string) bool { return strings.HasSuffix(p, ".md") })
	if len(files) == 0 {
		t.Fatal("no Markdown files found")
	}
	for _, rel := range files {
		text, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		for _, phrase := range outside {
			if bytes.Contains(text, []byte(phrase)) {
				t.Errorf("%s mentions %q, which is not in the repository", rel, phrase)
			}
		}
		for _, l := range links(text) {
			if problem := checkLink(root, rel, l.target); problem != "" {
				t.Errorf("%s:%d: link %q: %s", rel, l.line, l.target, problem)
			}
		}
	}
}

// TestNoCitationsOutsideRepo checks that no source file cites the notes
// kept outside the repository; the in-repository references are
// docs/behaviour.md, docs/architecture.md and the package docs.
func TestNoCitationsOutsideRepo(t *testing.T) {
	root := repoRoot(t)
	source := func(p string) bool {
		switch filepath.Ext(p) {
		case ".go", ".js", ".mjs", ".cjs", ".ts", ".mts", ".html", ".css", ".json", ".sh":
			return !strings.Contains(p, "testdata/")
		}
		return filepath.Base(p) == "Makefile"
	}
	for _, rel := range repoFiles(t, root, source) {
		text, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		for i, line := range strings.Split(string(text), "\n") {
			for _, phrase := range append(append([]string(nil), outside...), citations...) {
				if strings.Contains(line, phrase) {
					t.Errorf("%s:%d cites %q, which is not in the repository: %s", rel, i+1, phrase, strings.TrimSpace(line))
				}
			}
		}
	}
}

// repoRoot is the directory that holds go.mod, one up from this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod in %s: %v", root, err)
	}
	return root
}

// repoFiles lists the files of the repository that keep: the ones git
// tracks or would track (not ignored), or, without git, every file
// outside .git, node_modules and hidden directories. Paths are relative
// to root, with forward slashes; files deleted from the work tree are
// left out.
func repoFiles(t *testing.T, root string, keep func(string) bool) []string {
	t.Helper()
	var files []string
	cmd := exec.Command("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil {
		seen := map[string]bool{}
		for _, p := range strings.Split(string(out), "\x00") {
			if p == "" || seen[p] || !keep(p) || strings.Contains(p, "node_modules/") {
				continue
			}
			seen[p] = true
			if _, err := os.Stat(filepath.Join(root, p)); err == nil {
				files = append(files, p)
			}
		}
		return files
	}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "node_modules" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		if rel = filepath.ToSlash(rel); keep(rel) {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

type link struct {
	target string
	line   int
}

var (
	fence      = regexp.MustCompile("^\\s{0,3}(```|~~~)")
	codeSpan   = regexp.MustCompile("`+[^`]*`+")
	inlineLink = regexp.MustCompile(`\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)`)
	refDef     = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?`)
	htmlAttr   = regexp.MustCompile(`(?i)\b(?:href|src)\s*=\s*["']([^"']*)["']`)
)

// links finds the link targets of a Markdown text outside fenced code
// blocks and code spans: inline links and images, reference definitions, and href
// and src attributes of inline HTML.
func links(text []byte) []link {
	var out []link
	inFence := false
	for i, line := range strings.Split(string(text), "\n") {
		if fence.MatchString(line) {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		line = codeSpan.ReplaceAllString(line, "")
		for _, re := range []*regexp.Regexp{inlineLink, refDef, htmlAttr} {
			for _, m := range re.FindAllStringSubmatch(line, -1) {
				out = append(out, link{m[1], i + 1})
			}
		}
	}
	return out
}

var scheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// checkLink returns what is wrong with target, a link in the Markdown
// file rel, or "" when nothing is.
func checkLink(root, rel, target string) string {
	if target == "" {
		return "empty target"
	}
	if scheme.MatchString(target) || strings.HasPrefix(target, "//") {
		return "" // another site: not checked here
	}
	pathPart, frag, _ := strings.Cut(target, "#")
	pathPart, _, _ = strings.Cut(pathPart, "?")
	p, err := url.PathUnescape(pathPart)
	if err != nil {
		return "bad escape: " + err.Error()
	}
	file := filepath.Join(root, filepath.FromSlash(rel))
	if p != "" {
		if strings.HasPrefix(p, "/") { // GitHub: relative to the repository's root
			file = filepath.Join(root, filepath.FromSlash(p))
		} else {
			file = filepath.Join(filepath.Dir(file), filepath.FromSlash(p))
		}
		if r, err := filepath.Rel(root, file); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return "leads out of the repository"
		}
		if _, err := os.Stat(file); err != nil {
			return "no such file in the repository"
		}
	}
	if frag == "" || !strings.HasSuffix(file, ".md") {
		return ""
	}
	text, err := os.ReadFile(file)
	if err != nil {
		return err.Error()
	}
	if !anchors(text)[frag] {
		return "no heading with the anchor #" + frag
	}
	return ""
}

var heading = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$`)

// anchors are the fragment names GitHub gives the headings of a Markdown
// text: lower case, punctuation dropped, spaces made hyphens, and -1, -2…
// after repeats.
func anchors(text []byte) map[string]bool {
	out := map[string]bool{}
	count := map[string]int{}
	inFence := false
	for _, line := range strings.Split(string(text), "\n") {
		if fence.MatchString(line) {
			inFence = !inFence
			continue
		}
		m := heading.FindStringSubmatch(line)
		if inFence || m == nil {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
				b.WriteRune(r)
			}
		}
		slug := b.String()
		if n := count[slug]; n > 0 {
			out[slug+"-"+strconv.Itoa(n)] = true
		} else {
			out[slug] = true
		}
		count[slug]++
	}
	return out
}
