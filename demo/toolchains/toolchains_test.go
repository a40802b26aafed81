// Package toolchains_test proves, with the real tools, that the npm package
// built from js/ works out of the box: it packs js/ with `npm pack`,
// installs the tarball with npm beside the pinned bundlers of
// package-lock.json, builds one fresh app per toolchain (apps/*) with its
// own tool, serves each build next to a gotruetest identity API on one
// origin and drives it through flow.mjs in every browser engine
// (drive.mjs), runs the same flow in Node (node-flow.mjs) and through
// Vite's dev server, whose dependency pre-bundling moves modules away from
// the files they load.
//
// `make toolchains` installs the tools (npm ci); `make wasm` builds
// gotrue.wasm. See README.md for running one app by hand.
package toolchains_test

import (
	"archive/tar"
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// engines are the browser engines every app is driven in, by drive.mjs.
var engines = []string{"chromium", "firefox", "webkit"}

// engineNeeds is what drive.mjs needs on the machine for an engine beyond
// node_modules; Chromium is installed by `make chromium`.
var engineNeeds = map[string][]string{
	"firefox": {"/usr/bin/firefox-esr"},
	"webkit":  {"/usr/bin/WebKitWebDriver", "/usr/bin/Xvfb"},
}

// driver drives a page in an engine and prints one JSON line; see its
// header.
const driver = "drive.mjs"

// wantSteps are the steps of flow.mjs, in order.
var wantSteps = []string{"signup", "login", "jwt", "wrong password", "logout"}

// packedFiles must all be in the tarball npm pack makes of js/.
var packedFiles = []string{
	"package.json", "gotrue.mjs", "gotrue.js", "gotrue-core.js", "wasm_exec.js",
	"gotrue.wasm", "index.d.ts", "README.md", "LICENSE",
}

// pinnedTools are the tools of package.json whose installed versions
// installing gotrue-wasm must leave alone.
var pinnedTools = []string{"vite", "vite5", "webpack", "webpack-cli", "esbuild", "typescript"}

// Time limits: generous, since a failure should say what hung, not kill
// the whole package.
const (
	buildTimeout = 2 * time.Minute
	driveTimeout = 2 * time.Minute
	nodeTimeout  = time.Minute
	exitGap      = time.Second // node-flow.mjs must exit this soon after its report
)

// browsers bounds the browsers running at once: two cores.
var browsers = make(chan struct{}, 2)

// app is one fixture app under apps/: how its tool builds it, and which of
// its folders is the site.
type app struct {
	name  string
	build []string // the command, run in the app's folder; a leading "tool:" path is under node_modules
	site  string   // the folder served, relative to the app's folder
	page  string   // the page driven, "/" when empty
	entry string   // for a server build instead: the module Node imports
	// warnings picks the tool's warnings out of its output.
	warnings func(stdout, stderr string) []string
}

var apps = []app{
	// The installed package served as it is, with no build: the loader's
	// own paths (preload, streaming compile) in every engine. site is
	// relative to apps/<name>, so "../.." serves this folder, node_modules
	// included; the pages are in apps/unbundled.
	{name: "module", site: "../..", page: "/apps/unbundled/module.html"},
	{name: "script", site: "../..", page: "/apps/unbundled/script.html"},
	{
		name:     "vite",
		build:    []string{"tool:.bin/vite", "build"},
		site:     "dist",
		warnings: viteWarnings,
	},
	{
		name:     "vite5",
		build:    []string{"node", "tool:vite5/bin/vite.js", "build"},
		site:     "dist",
		warnings: viteWarnings,
	},
	{
		name:     "webpack",
		build:    []string{"tool:.bin/webpack"},
		site:     ".",
		warnings: webpackWarnings,
	},
	{
		// esbuild does not emit files named by new URL(..., import.meta.url)
		// (evanw/esbuild#795): the build copies gotrue.wasm beside the bundle
		// with esbuild's own copy loader.
		name:     "esbuild",
		build:    []string{"tool:.bin/esbuild", "main.js", "gotrue-wasm/gotrue.wasm", "--bundle", "--format=esm", "--outdir=dist", "--entry-names=[name]", "--loader:.wasm=copy"},
		site:     ".",
		warnings: esbuildWarnings,
	},
	{
		name:     "esbuild-iife",
		build:    []string{"tool:.bin/esbuild", "main.js", "gotrue-wasm/gotrue.wasm", "--bundle", "--format=iife", "--outdir=dist", "--entry-names=[name]", "--loader:.wasm=copy"},
		site:     ".",
		warnings: esbuildWarnings,
	},
}

// setup is the shared state of the package: the tarball, packed once and
// installed once, for every test.
var setup struct {
	once    sync.Once
	err     error
	tmp     string            // removed by TestMain
	tarball string            // npm pack's output
	files   map[string][]byte // the tarball's files, by path inside package/
}

func TestMain(m *testing.M) {
	tmp, err := os.MkdirTemp("", "toolchains-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	setup.tmp = tmp
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// dir is this package's folder, where go test runs it.
func dir(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// toolPath is rel (slash-separated) under this package's node_modules.
func toolPath(t testing.TB, rel string) string {
	return filepath.Join(dir(t), "node_modules", filepath.FromSlash(rel))
}

// installed packs js/ and installs the tarball into node_modules, once.
func installed(t *testing.T) {
	t.Helper()
	setup.once.Do(func() { setup.err = packAndInstall(t) })
	if setup.err != nil {
		t.Fatal(setup.err)
	}
}

func packAndInstall(t *testing.T) error {
	here := dir(t)
	for _, tool := range []string{".bin/vite", "vite5/bin/vite.js", ".bin/webpack", ".bin/webpack-cli", ".bin/esbuild", ".bin/tsc", "puppeteer-core/package.json", "selenium-webdriver/package.json"} {
		if _, err := os.Stat(toolPath(t, tool)); err != nil {
			return fmt.Errorf("%s is missing from %s/node_modules: run make toolchains", tool, here)
		}
	}
	js := filepath.Join(here, "..", "..", "js")
	if _, err := os.Stat(filepath.Join(js, "gotrue.wasm")); err != nil {
		return fmt.Errorf("js/gotrue.wasm is missing: run make wasm")
	}
	if err := trackInputs(here, js); err != nil {
		return err
	}
	before, err := hashFiles(here, "package.json", "package-lock.json")
	if err != nil {
		return err
	}

	start := time.Now()
	out, err := run(t, js, time.Minute, "npm", "pack", "--json", "--loglevel=error", "--pack-destination", setup.tmp)
	if err != nil {
		return fmt.Errorf("npm pack: %v\n%s", err, out)
	}
	var packed []struct {
		Filename string `json:"filename"`
	}
	if err := json.Unmarshal([]byte(out.stdout), &packed); err != nil || len(packed) != 1 {
		return fmt.Errorf("npm pack --json answered %q: %v", out.stdout, err)
	}
	setup.tarball = filepath.Join(setup.tmp, packed[0].Filename)
	if setup.files, err = readTarball(setup.tarball); err != nil {
		return err
	}
	unpacked := 0
	for _, b := range setup.files {
		unpacked += len(b)
	}
	if fi, err := os.Stat(setup.tarball); err == nil {
		t.Logf("npm pack: %s, %d files, %d bytes (%d unpacked) in %v", packed[0].Filename, len(setup.files), fi.Size(), unpacked, time.Since(start).Round(time.Millisecond))
	}

	start = time.Now()
	out, err = run(t, here, 2*time.Minute, "npm", "install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", setup.tarball)
	if err != nil {
		return fmt.Errorf("npm install of the tarball: %v\n%s", err, out)
	}
	t.Logf("npm install of the tarball: %v", time.Since(start).Round(time.Millisecond))

	// The install must leave the project's files and its pinned tools alone.
	after, err := hashFiles(here, "package.json", "package-lock.json")
	if err != nil {
		return err
	}
	if before != after {
		return errors.New("npm install of the tarball changed package.json or package-lock.json")
	}
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := readJSON(filepath.Join(here, "package.json"), &pkg); err != nil {
		return err
	}
	for _, name := range pinnedTools {
		want := pkg.DevDependencies[name]
		if i := strings.LastIndex(want, "@"); i >= 0 { // npm:vite@5.4.21
			want = want[i+1:]
		}
		var got struct{ Version string }
		if err := readJSON(toolPath(t, name+"/package.json"), &got); err != nil {
			return err
		}
		if got.Version != want {
			return fmt.Errorf("node_modules/%s is %s after installing gotrue-wasm, package.json pins %s: run make toolchains", name, got.Version, want)
		}
	}
	// What the apps import is the tarball's content.
	installedWasm, err := os.ReadFile(toolPath(t, "gotrue-wasm/gotrue.wasm"))
	if err != nil {
		return err
	}
	if !bytes.Equal(installedWasm, setup.files["gotrue.wasm"]) {
		return errors.New("node_modules/gotrue-wasm/gotrue.wasm is not the packed one")
	}
	return nil
}

// trackInputs stats every file that the tools, the drivers and Node read
// for these tests. go test caches a passing result until a file this
// process opened or stat'ed changes; the files that only child processes
// read (js/ through npm pack, the apps through their bundlers, the .mjs
// through Node, the tools through npm ci) would otherwise be unseen, and a
// change to js/gotrue-core.js could be answered by a stale "ok (cached)".
func trackInputs(here, js string) error {
	var names []string
	add := func(dir string, skip func(rel string) bool) error {
		return filepath.WalkDir(dir, func(name string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, name)
			if rel != "." && skip(filepath.ToSlash(rel)) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				names = append(names, name)
			}
			return nil
		})
	}
	topLevel := func(rel string) bool { return strings.Contains(rel, "/") }
	if err := add(js, topLevel); err != nil {
		return err
	}
	if err := add(here, func(rel string) bool {
		return strings.HasPrefix(rel, "node_modules") || strings.HasSuffix(rel, "/dist") ||
			(topLevel(rel) && !strings.HasPrefix(rel, "apps/") && !strings.HasPrefix(rel, "types/"))
	}); err != nil {
		return err
	}
	names = append(names, filepath.Join(here, "node_modules", ".package-lock.json"))
	for _, name := range names {
		if _, err := os.Stat(name); err != nil {
			return err
		}
	}
	return nil
}

// TestPackedFiles checks what npm pack puts in the tarball: the files a
// user needs, and every file package.json names.
func TestPackedFiles(t *testing.T) {
	t.Parallel()
	installed(t)
	var names []string
	for name := range setup.files {
		names = append(names, name)
	}
	sort.Strings(names)
	t.Logf("packed: %s", strings.Join(names, ", "))
	for _, want := range packedFiles {
		if _, ok := setup.files[want]; !ok {
			t.Errorf("the tarball has no %s", want)
		}
	}

	var pkg map[string]any
	if err := json.Unmarshal(setup.files["package.json"], &pkg); err != nil {
		t.Fatalf("the packed package.json: %v", err)
	}
	var named []string
	for _, field := range []string{"main", "module", "browser", "types"} {
		if s, ok := pkg[field].(string); ok {
			named = append(named, field+": "+s)
		}
	}
	exports, ok := pkg["exports"]
	if !ok {
		t.Error(`the packed package.json has no "exports"`)
	}
	named = append(named, exportTargets("exports", exports)...)
	for _, n := range named {
		where, target, _ := strings.Cut(n, ": ")
		if !hasPackedPath(setup.files, target) {
			t.Errorf("package.json %s names %s, which is not in the tarball", where, target)
		}
	}
}

// exportTargets lists the file paths an "exports" value names, each as
// "where: path", through subpaths, conditions and arrays.
func exportTargets(where string, v any) []string {
	switch v := v.(type) {
	case string:
		return []string{where + ": " + v}
	case []any:
		var out []string
		for i, e := range v {
			out = append(out, exportTargets(fmt.Sprintf("%s[%d]", where, i), e)...)
		}
		return out
	case map[string]any:
		var out []string
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, exportTargets(where+"["+k+"]", v[k])...)
		}
		return out
	}
	return nil // null: a subpath closed on purpose
}

// hasPackedPath reports whether target ("./x", with at most one * as in a
// subpath pattern) names a file of the tarball.
func hasPackedPath(files map[string][]byte, target string) bool {
	p := path.Clean(strings.TrimPrefix(target, "./"))
	if before, after, ok := strings.Cut(p, "*"); ok {
		for name := range files {
			if strings.HasPrefix(name, before) && strings.HasSuffix(name, after) && len(name) > len(before)+len(after) {
				return true
			}
		}
		return false
	}
	_, ok := files[p]
	return ok
}

// TestTypes checks README-style TypeScript against the packed package's
// types with tsc --strict, under Node's module resolution and a bundler's.
func TestTypes(t *testing.T) {
	t.Parallel()
	installed(t)
	for _, config := range []string{"tsconfig.json", "tsconfig.bundler.json"} {
		out, err := run(t, filepath.Join(dir(t), "types"), buildTimeout, toolPath(t, ".bin/tsc"), "-p", config)
		if err != nil {
			t.Errorf("tsc -p types/%s: %v\n%s", config, err, out)
		}
	}
}

// TestApps builds each app with its tool and drives it in each engine.
func TestApps(t *testing.T) {
	t.Parallel()
	installed(t)
	for _, a := range apps {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			appDir := filepath.Join(dir(t), "apps", a.name)
			build(t, a, appDir)
			site := startSite(t, filepath.Join(appDir, a.site))
			for _, engine := range engines {
				t.Run(engine, func(t *testing.T) {
					needEngine(t, engine)
					drive(t, engine, site.URL+cmp.Or(a.page, "/"), site.URL+"/.netlify/identity", site)
				})
			}
		})
	}
}

// build runs the app's tool in its folder, from an empty dist/, and fails
// with the tool's output on an error or a warning.
func build(t *testing.T, a app, appDir string) {
	t.Helper()
	if a.build == nil {
		return
	}
	if err := os.RemoveAll(filepath.Join(appDir, "dist")); err != nil {
		t.Fatal(err)
	}
	args := slices.Clone(a.build)
	for i, arg := range args {
		if rel, ok := strings.CutPrefix(arg, "tool:"); ok {
			args[i] = toolPath(t, rel)
		}
	}
	start := time.Now()
	out, err := run(t, appDir, buildTimeout, args[0], args[1:]...)
	took := time.Since(start).Round(time.Millisecond)
	if err != nil {
		t.Fatalf("%s build failed after %v: %v\n%s", a.name, took, err, out)
	}
	if w := a.warnings(out.stdout, out.stderr); len(w) > 0 {
		t.Fatalf("%s build warned:\n%s\n\nfull output:\n%s", a.name, strings.Join(w, "\n---\n"), out)
	}
	t.Logf("%s build: %v", a.name, took)
}

// viteWarnings: Vite logs its info to stdout and its warnings (and
// Rollup's or Rolldown's) to stderr.
func viteWarnings(_, stderr string) []string {
	if s := strings.TrimSpace(stripANSI(stderr)); s != "" {
		return []string{s}
	}
	return nil
}

// webpackWarnings: each "WARNING in ..." block of webpack's stats, and
// any line of webpack-cli's on stderr. The performance hints about the
// size of gotrue.wasm (2.6 MB against a 244 KiB default budget) are
// advice every user of a wasm package gets, not a fault, and pass.
func webpackWarnings(stdout, stderr string) []string {
	var out []string
	for _, block := range strings.Split(stripANSI(stdout), "\n\n") {
		block = strings.TrimSpace(block)
		if !strings.HasPrefix(block, "WARNING") {
			continue
		}
		if strings.HasPrefix(block, "WARNING in asset size limit") ||
			strings.HasPrefix(block, "WARNING in entrypoint size limit") ||
			strings.HasPrefix(block, "WARNING in webpack performance recommendations") {
			continue
		}
		out = append(out, block)
	}
	if s := strings.TrimSpace(stripANSI(stderr)); s != "" {
		out = append(out, s)
	}
	return out
}

// esbuildWarnings: esbuild writes its summary and its "▲ [WARNING]"
// messages to stderr.
func esbuildWarnings(_, stderr string) []string {
	var out []string
	for _, block := range strings.Split(stripANSI(stderr), "\n\n") {
		if strings.Contains(block, "[WARNING]") {
			out = append(out, strings.TrimSpace(block))
		}
	}
	return out
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

func stripANSI(s string) string { return ansi.ReplaceAllString(s, "") }

// needEngine skips (fails under CI) a subtest whose engine is missing.
func needEngine(t *testing.T, engine string) {
	t.Helper()
	for _, need := range engineNeeds[engine] {
		if _, err := os.Stat(need); err != nil {
			msg := fmt.Sprintf("%s is not installed (%s is missing; make engines installs it)", engine, need)
			if os.Getenv("CI") != "" {
				t.Fatal(msg + "; under CI every engine must run")
			}
			t.Skip(msg + "; skipped outside CI")
		}
	}
}

// driveReport is drive.mjs's one JSON line.
type driveReport struct {
	Engine  string   `json:"engine"`
	Version string   `json:"version"`
	OK      bool     `json:"ok"`
	Steps   []string `json:"steps"`
	Error   *string  `json:"error"`
	Console []string `json:"console"`
}

// drive runs drive.mjs on the page and checks its report.
func drive(t *testing.T, engine, pageURL, apiURL string, site *site) {
	t.Helper()
	browsers <- struct{}{}
	start := time.Now()
	out, err := run(t, dir(t), driveTimeout, "node", driver, engine, pageURL, apiURL)
	<-browsers
	took := time.Since(start).Round(time.Millisecond)
	line := lastJSONLine(out.stdout)
	var rep driveReport
	if jerr := json.Unmarshal([]byte(line), &rep); jerr != nil {
		t.Fatalf("drive.mjs %s gave no report (%v, %v):\n%s%s", engine, err, jerr, out, site.log())
	}
	if err != nil || !rep.OK || !slices.Equal(rep.Steps, wantSteps) || rep.Engine != engine {
		msg := "no error"
		if rep.Error != nil {
			msg = *rep.Error
		}
		t.Fatalf("%s (%s) failed after %v: %s (exit: %v)\nsteps: %q, want %q\nconsole:\n  %s\nstderr:\n%s%s",
			engine, rep.Version, took, redact(msg), err, rep.Steps, wantSteps,
			redact(strings.Join(rep.Console, "\n  ")), redact(out.stderr), site.log())
	}
	t.Logf("%s %s: %s in %v", engine, rep.Version, strings.Join(rep.Steps, " → "), took)
}

func lastJSONLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); strings.HasPrefix(l, "{") {
			return l
		}
	}
	return ""
}

var jwtLike = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

// redact hides anything shaped like a JWT in what the test prints.
func redact(s string) string { return jwtLike.ReplaceAllString(s, "[a JWT]") }

// ssrBuilds are server builds of apps/vite-ssr, whose entry imports the
// package at its top as an app's modules do: Vite's default, which keeps
// the package external, and one with the package bundled in.
var ssrBuilds = []app{
	{
		name:     "ssr",
		build:    []string{"tool:.bin/vite", "build", "--ssr", "entry-server.js"},
		entry:    "dist/external/entry-server.mjs",
		warnings: viteWarnings,
	},
	{
		name:     "ssr-bundled",
		build:    []string{"tool:.bin/vite", "build", "--ssr", "entry-server.js", "--config", "bundled.config.mjs"},
		entry:    "dist/bundled/entry-server.mjs",
		warnings: viteWarnings,
	},
}

// TestNode runs the flow in Node: with the package's default import, from
// CommonJS through require(…).load(), and through server builds, each
// checking that Node then exits on its own, at once.
func TestNode(t *testing.T) {
	t.Parallel()
	installed(t)
	site := startSite(t, "")
	t.Run("import", func(t *testing.T) { nodeFlow(t, site) })
	t.Run("require", func(t *testing.T) { nodeFlow(t, site, "require") })
	t.Run("without gotrue.wasm", nodeWithoutWasm)
	// The two server builds share apps/vite-ssr/dist: one after the other.
	for _, b := range ssrBuilds {
		t.Run(b.name, func(t *testing.T) {
			appDir := filepath.Join(dir(t), "apps", "vite-ssr")
			build(t, b, appDir)
			nodeFlow(t, site, filepath.Join(appDir, filepath.FromSlash(b.entry)))
		})
	}
}

// nodeWithoutWasm imports a copy of the package that lacks gotrue.wasm,
// outside any node_modules: as during server-side rendering, the import
// must not fail; a warning says why, and the classes throw it when used.
func nodeWithoutWasm(t *testing.T) {
	pkg := t.TempDir()
	for name, b := range setup.files {
		if strings.HasPrefix(name, "gotrue.wasm") {
			continue
		}
		if err := os.WriteFile(filepath.Join(pkg, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script := `const m = await import(process.argv[1]);
		try { new m.default(); console.log('constructed'); } catch (err) { console.log(err.message); }`
	out, err := run(t, pkg, nodeTimeout, "node", "--input-type=module", "-e", script, filepath.Join(pkg, "node.mjs"))
	if err != nil {
		t.Fatalf("importing the package without gotrue.wasm failed: %v\n%s", err, out)
	}
	want := "gotrue-wasm: could not load file://" + filepath.ToSlash(pkg) + "/gotrue.wasm: " + filepath.ToSlash(pkg) + "/gotrue.wasm is missing"
	if !strings.HasPrefix(out.stdout, want) {
		t.Errorf("new GoTrue() said %q, want it to start %q", out.stdout, want)
	}
	if lines := strings.Split(strings.TrimSpace(out.stderr), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], want) {
		t.Errorf("the import warned %q, want one line starting %q", out.stderr, want)
	}
}

// startPiped starts cmd with its stdout to read as it comes and its
// stderr kept; start is when it started.
func startPiped(t *testing.T, cmd *exec.Cmd) (stdout io.Reader, stderr *syncBuffer, start time.Time) {
	t.Helper()
	stderr = &syncBuffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return out, stderr, start
}

// nodeFlow runs node-flow.mjs with args after the API's URL.
func nodeFlow(t *testing.T, site *site, args ...string) {
	ctx, cancel := context.WithTimeout(t.Context(), nodeTimeout)
	defer cancel()
	cmd := command(ctx, dir(t), "node", append([]string{"node-flow.mjs", site.URL + "/.netlify/identity"}, args...)...)
	stdout, stderr, start := startPiped(t, cmd)
	defer killGroup(cmd)

	// The lines of stdout as they come; the channel closes when Node has
	// closed stdout, i.e. exited.
	type line struct {
		text string
		at   time.Time
	}
	lines := make(chan line, 16)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			lines <- line{sc.Text(), time.Now()}
		}
	}()
	var report line
	var rest []string
	var exitBy <-chan time.Time // armed by the report: Node must be gone soon after
	const patience = 5 * time.Second
read:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				break read
			}
			if report.text == "" && strings.HasPrefix(l.text, "{") {
				report = l
				exitBy = time.After(patience)
			} else {
				rest = append(rest, l.text)
			}
		case <-exitBy:
			t.Fatalf("node-flow.mjs did not exit on its own within %v of its report: something keeps Node alive", patience)
		case <-ctx.Done():
			t.Fatalf("node-flow.mjs did not report within %v:\nstdout:\n%s\nstderr:\n%s%s", nodeTimeout, redact(strings.Join(rest, "\n")), redact(stderr.String()), site.log())
		}
	}
	waitErr := cmd.Wait()
	gap := time.Since(report.at)
	if report.text == "" {
		t.Fatalf("node-flow.mjs printed no report (%v):\nstdout:\n%s\nstderr:\n%s%s", waitErr, redact(strings.Join(rest, "\n")), redact(stderr.String()), site.log())
	}
	var rep struct {
		Node     string   `json:"node"`
		OK       bool     `json:"ok"`
		Steps    []string `json:"steps"`
		Error    *string  `json:"error"`
		Finished int64    `json:"finished"`
	}
	if err := json.Unmarshal([]byte(report.text), &rep); err != nil {
		t.Fatalf("node-flow.mjs's report %q: %v", redact(report.text), err)
	}
	if !rep.OK || !slices.Equal(rep.Steps, wantSteps) || waitErr != nil {
		msg := "no error"
		if rep.Error != nil {
			msg = *rep.Error
		}
		t.Fatalf("node %s: %s (exit: %v)\nsteps: %q, want %q\nstderr:\n%s%s", rep.Node, redact(msg), waitErr, rep.Steps, wantSteps, redact(stderr.String()), site.log())
	}
	if gap > exitGap {
		t.Fatalf("node-flow.mjs exited %v after its report, more than %v: something keeps Node alive", gap.Round(time.Millisecond), exitGap)
	}
	// Node keeps the session in memory and never asks for localStorage,
	// which it lacks, or has behind a warning of its own.
	if strings.Contains(stderr.String(), "localStorage") {
		t.Errorf("node-flow.mjs warned about localStorage:\n%s", redact(stderr.String()))
	}
	t.Logf("node %s: %s in %v, exited %v after the report", rep.Node, strings.Join(rep.Steps, " → "), report.at.Sub(start).Round(time.Millisecond), gap.Round(time.Millisecond))
}

// TestViteDevServer drives the Vite app through `vite` (the dev server,
// with its dependency pre-bundling into node_modules/.vite/deps) with the
// identity API proxied to the Go server, as vite.config.mjs sets up.
func TestViteDevServer(t *testing.T) {
	t.Parallel()
	installed(t)
	api := startSite(t, "")
	appDir := filepath.Join(dir(t), "apps", "vite")

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// --force: pre-bundle afresh, whatever an earlier run left in the cache.
	cmd := command(ctx, appDir, toolPath(t, ".bin/vite"), "--host", "127.0.0.1", "--port", "0", "--force")
	cmd.Env = append(os.Environ(), "IDENTITY_URL="+api.URL, "NO_COLOR=1")
	stdout, stderr, start := startPiped(t, cmd)
	defer killGroup(cmd)

	var out syncBuffer
	urls := make(chan string, 1)
	go func() {
		local := regexp.MustCompile(`Local:\s+(http://\S+)`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			l := stripANSI(sc.Text())
			out.WriteString(l + "\n")
			if m := local.FindStringSubmatch(l); m != nil {
				select {
				case urls <- strings.TrimSuffix(m[1], "/"):
				default:
				}
			}
		}
		close(urls)
	}()
	var base string
	select {
	case u, ok := <-urls:
		if !ok {
			t.Fatalf("vite exited before serving:\nstdout:\n%s\nstderr:\n%s", out.String(), stderr.String())
		}
		base = u
	case <-time.After(buildTimeout):
		t.Fatalf("vite did not serve within %v:\nstdout:\n%s\nstderr:\n%s", buildTimeout, out.String(), stderr.String())
	}
	t.Logf("vite dev server at %s in %v", base, time.Since(start).Round(time.Millisecond))

	drive(t, "chromium", base+"/", base+"/.netlify/identity", api)
	if w := viteWarnings("", stderr.String()); len(w) > 0 {
		t.Errorf("the vite dev server warned:\n%s", strings.Join(w, "\n"))
	}
	// The page must have had the pre-bundled copy, or this test no longer
	// covers what it is for.
	main, err := httpGet(t, base+"/main.js")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`from\s+"[^"]*/\.vite/deps/gotrue-wasm\.js`).MatchString(main) {
		t.Errorf("vite served main.js without importing the pre-bundled gotrue-wasm from .vite/deps:\n%s", main)
	}
}

// httpGet answers the body of a 200 response.
func httpGet(t *testing.T, url string) (string, error) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return string(b), err
}

// site is an app's build served on a local port, with the identity API at
// /.netlify/identity on the same origin, as on Netlify.
type site struct {
	URL string
	mu  sync.Mutex
	req []string // "GET /path 200 type", for a failure's message
}

func (s *site) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.req) == 0 {
		return ""
	}
	return "\nrequests to the site:\n  " + strings.Join(s.req, "\n  ")
}

// startSite serves root ("" for none) and the identity API. A path with
// no file answers root's index.html with 200, like a dev server's SPA
// fallback, so that a wrong asset URL gets HTML, as it would in the wild.
func startSite(t *testing.T, root string) *site {
	t.Helper()
	s := &site{}
	idp := gotruetest.New(gotruetest.Config{Autoconfirm: true})
	mux := http.NewServeMux()
	mux.Handle("/.netlify/identity/", http.StripPrefix("/.netlify/identity", idp))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if root == "" {
			http.NotFound(w, r)
			return
		}
		serveFile(w, r, root)
	})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		mux.ServeHTTP(rec, r)
		s.mu.Lock()
		// The path only: the identity API's query strings may hold tokens.
		s.req = append(s.req, fmt.Sprintf("%s %s %d %s", r.Method, r.URL.Path, rec.status, rec.Header().Get("Content-Type")))
		s.mu.Unlock()
	}))
	srv.Start()
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".wasm": "application/wasm",
	".map":  "application/json",
}

func serveFile(w http.ResponseWriter, r *http.Request, root string) {
	name := filepath.Join(root, filepath.FromSlash(path.Clean("/"+r.URL.Path)))
	fi, err := os.Stat(name)
	if err == nil && fi.IsDir() {
		name = filepath.Join(name, "index.html")
		fi, err = os.Stat(name)
	}
	if err != nil || fi.IsDir() {
		name = filepath.Join(root, "index.html") // the SPA fallback
	}
	f, err := os.Open(name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close()
	fi, err = f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if ct, ok := contentTypes[strings.ToLower(filepath.Ext(name))]; ok {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, "", fi.ModTime(), f)
}

// output is what a command printed.
type output struct{ stdout, stderr string }

func (o output) String() string {
	return fmt.Sprintf("stdout:\n%s\nstderr:\n%s", redact(o.stdout), redact(o.stderr))
}

// command is exec.CommandContext in its own process group. When ctx ends,
// the group gets SIGTERM (drive.mjs then closes its browser, which runs in
// a group of its own) and, 10 s later, the command SIGKILL; killGroup ends
// whatever is left of the group.
func command(ctx context.Context, dir, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// killGroup ends whatever is left of the command's process group.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if cmd.ProcessState == nil {
			_ = cmd.Wait()
		}
	}
}

// run runs a command to its end (or d) and returns its output.
func run(t *testing.T, dir string, d time.Duration, name string, args ...string) (output, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	defer cancel()
	cmd := command(ctx, dir, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Start()
	if err == nil {
		err = cmd.Wait()
		killGroup(cmd) // a browser or a service its command left behind
	}
	if ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("%s did not finish within %v: %w", filepath.Base(name), d, err)
	}
	return output{stdout.String(), stderr.String()}, err
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) WriteString(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b.WriteString(s)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func readTarball(name string) (map[string][]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	files := map[string][]byte{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		rel, ok := strings.CutPrefix(h.Name, "package/")
		if !ok {
			return nil, fmt.Errorf("%s: %s is outside package/", name, h.Name)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		files[rel] = b
	}
}

func readJSON(name string, v any) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func hashFiles(dir string, names ...string) (string, error) {
	h := sha256.New()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", n, len(b))
		h.Write(b)
	}
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}
