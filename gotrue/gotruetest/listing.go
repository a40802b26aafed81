package gotruetest

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// What the two admin listings (/admin/users and /admin/audit) share with
// the real server: its page/per_page parameters, its Link and
// X-Total-Count headers, its sort parameter, and the MySQL LIKE with which
// it filters.

const defaultPerPage = 50

// pageParams is page and per_page as the real server parses them
// (api/pagination.go): unsigned decimals, 1 and 50 when absent.
type pageParams struct {
	page, perPage uint64
}

// parsePage reads page and per_page; an error is the real server's 400.
//
// per_page=0 reads as the default. The real server divides by it when it
// writes the Link header, and the panic drops the connection without an
// answer; no client can make use of that.
func parsePage(q url.Values) (pageParams, error) {
	p := pageParams{page: 1, perPage: defaultPerPage}
	var err error
	if v := q.Get("page"); v != "" {
		if p.page, err = strconv.ParseUint(v, 10, 64); err != nil {
			return p, badRequest("Bad Pagination Parameters: %v", err)
		}
	}
	if v := q.Get("per_page"); v != "" {
		if p.perPage, err = strconv.ParseUint(v, 10, 64); err != nil {
			return p, badRequest("Bad Pagination Parameters: %v", err)
		}
		if p.perPage == 0 {
			p.perPage = defaultPerPage
		}
	}
	return p, nil
}

// window returns the bounds of the page within total rows. It does the
// arithmetic of the real server's database layer (gobuffalo/pop): the
// numbers become signed 64-bit integers, a page below 1 is page 1, a
// per_page below 1 is 20, and the offset (page-1)*per_page wraps around.
// A negative offset is an SQL syntax error there, a 500 with dbError as
// its message; so it is here.
func (p pageParams) window(total int, dbError string) (start, end int, err error) {
	page, perPage := int64(p.page), int64(p.perPage)
	if page < 1 {
		page = 1
	}
	if perPage < 1 {
		perPage = 20
	}
	offset := (page - 1) * perPage
	if offset < 0 {
		return 0, 0, httpErr(http.StatusInternalServerError, "%s", dbError)
	}
	n := int64(total)
	start64 := min(offset, n)
	return int(start64), int(start64 + min(perPage, n-start64)), nil
}

// setPageHeaders writes the real server's Link (next, prev, last, from the
// page numbers as requested) and X-Total-Count.
func setPageHeaders(c *call, p pageParams, total int) {
	count := uint64(total)
	lastPage := count / p.perPage
	if count%p.perPage > 0 {
		lastPage++
	}
	link := ""
	if lastPage > p.page {
		link += "<" + pageURL(c, p.page+1) + ">; rel=\"next\", "
	}
	if p.page > 1 {
		link += "<" + pageURL(c, p.page-1) + ">; rel=\"prev\", "
	}
	link += "<" + pageURL(c, lastPage) + ">; rel=\"last\""
	c.w.Header().Set("Link", link)
	c.w.Header().Set("X-Total-Count", strconv.FormatUint(count, 10))
}

// pageURL is the request's URL with another page; the query is
// re-encoded, keys sorted, as the real server's url.Values.Encode does.
func pageURL(c *call, page uint64) string {
	u := *c.r.URL
	q := u.Query()
	q.Set("page", strconv.FormatUint(page, 10))
	u.RawQuery = q.Encode()
	return u.String()
}

// parseSort reads the sort parameters as the real server's api/sorting.go
// does: each value is "field" or "field direction", split at the first
// space; the field must be one of allowed (exact case), the direction
// asc or desc in any case, desc when left out. It returns one entry per
// value, true for ascending; without a sort parameter, one descending.
func parseSort(q url.Values, allowed ...string) ([]bool, error) {
	if len(q["sort"]) == 0 {
		return []bool{false}, nil // the default, created_at desc
	}
	var asc []bool
	for _, v := range q["sort"] {
		field, dir, hasDir := strings.Cut(v, " ")
		if !slices.Contains(allowed, field) {
			return nil, badRequest("Bad Sort Parameters: bad field for sort '%s'", field)
		}
		up := false
		if hasDir {
			switch strings.ToUpper(dir) {
			case "ASC":
				up = true
			case "DESC":
			default:
				return nil, badRequest("Bad Sort Parameters: bad direction for sort '%s', only 'asc' and 'desc' allowed", dir)
			}
		}
		asc = append(asc, up)
	}
	return asc, nil
}

// The real server filters with SQL: column LIKE '%<filter>%' under the
// collation utf8mb4_unicode_ci. The filter goes into the pattern as it
// is, so its own % and _ are wildcards and a backslash escapes the next
// character.

// likeToken is one element of a LIKE pattern.
type likeToken struct {
	kind byte // '%' any run, '_' any one character, 0 the character r
	r    rune // folded with ciKey
}

// likePattern is a compiled LIKE pattern.
type likePattern struct {
	toks   []likeToken
	minLen int // characters a match needs at least
}

// containsPattern compiles the real server's '%' + filter + '%'.
func containsPattern(filter string) likePattern {
	return compileLike("%" + filter + "%")
}

func compileLike(p string) likePattern {
	var lp likePattern
	escaped := false
	for _, r := range p {
		switch {
		case escaped:
			escaped = false
			lp.toks = append(lp.toks, likeToken{r: ciKey(r)})
		case r == '\\':
			escaped = true
			continue
		case r == '%':
			if n := len(lp.toks); n > 0 && lp.toks[n-1].kind == '%' {
				continue // a run of % is one
			}
			lp.toks = append(lp.toks, likeToken{kind: '%'})
			continue
		case r == '_':
			lp.toks = append(lp.toks, likeToken{kind: '_'})
		default:
			lp.toks = append(lp.toks, likeToken{r: ciKey(r)})
		}
		lp.minLen++
	}
	if escaped { // a trailing backslash stands for itself
		lp.toks = append(lp.toks, likeToken{r: '\\'})
		lp.minLen++
	}
	return lp
}

// match reports whether all of s matches. It backtracks only to the last
// %, so it takes at most len(s) times the pattern's length; a pattern
// longer than any string it could match is refused at once.
func (lp likePattern) match(s string) bool {
	if utf8.RuneCountInString(s) < lp.minLen {
		return false
	}
	text := make([]rune, 0, len(s))
	for _, r := range s {
		text = append(text, ciKey(r))
	}
	p, i := 0, 0
	star, starI := -1, 0
	for i < len(text) {
		if p < len(lp.toks) {
			switch t := lp.toks[p]; {
			case t.kind == '%':
				star, starI = p, i
				p++
				continue
			case t.kind == '_' || t.r == text[i]:
				p++
				i++
				continue
			}
		}
		if star < 0 {
			return false
		}
		starI++
		p, i = star+1, starI
	}
	for p < len(lp.toks) && lp.toks[p].kind == '%' {
		p++
	}
	return p == len(lp.toks)
}

// ciKey maps a character to what utf8mb4_unicode_ci compares it as, as
// far as this server follows that collation: ASCII case, the Latin
// letters with diacritics and the fullwidth letters and digits of
// ciFolds, then Unicode simple case folding for the rest.
func ciKey(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	if base, ok := ciFoldMap()[r]; ok {
		return base
	}
	low := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		low = min(low, f)
	}
	if low != r && low < utf8.RuneSelf { // the Kelvin sign is k
		return ciKey(low)
	}
	return low
}

// ciFolds lists, after its first character, every character that
// utf8mb4_unicode_ci treats as that character in a LIKE. It was read
// from the collation itself (MariaDB 10.11, the same UCA 4.0.0 weights as
// MySQL's utf8mb4_unicode_ci) for U+00C0–U+024F, U+1E00–U+1EFF and the
// fullwidth forms: each letter or digit there is either in this list or
// equal only to itself and its case partners (ø, ł, æ, ß, ı... stay
// apart from o, l, ae, ss, i).
var ciFolds = [...]string{
	"0０", "1１", "2２", "3３", "4４", "5５", "6６", "7７", "8８", "9９",
	"aÀÁÂÃÄÅàáâãäåĀāĂăĄąǍǎǞǟǠǡǺǻȀȁȂȃȦȧḀḁẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặＡａ",
	"bḂḃḄḅḆḇＢｂ",
	"cÇçĆćĈĉĊċČčḈḉＣｃ",
	"dĎďḊḋḌḍḎḏḐḑḒḓＤｄ",
	"eÈÉÊËèéêëĒēĔĕĖėĘęĚěȄȅȆȇȨȩḔḕḖḗḘḙḚḛḜḝẸẹẺẻẼẽẾếỀềỂểỄễỆệＥｅ",
	"fḞḟＦｆ",
	"gĜĝĞğĠġĢģǦǧǴǵḠḡＧｇ",
	"hĤĥȞȟḢḣḤḥḦḧḨḩḪḫẖＨｈ",
	"iÌÍÎÏìíîïĨĩĪīĬĭĮįİǏǐȈȉȊȋḬḭḮḯỈỉỊịＩｉ",
	"jĴĵǰＪｊ",
	"kĶķǨǩḰḱḲḳḴḵＫｋ",
	"lĹĺĻļĽľḶḷḸḹḺḻḼḽＬｌ",
	"mḾḿṀṁṂṃＭｍ",
	"nÑñŃńŅņŇňǸǹṄṅṆṇṈṉṊṋＮｎ",
	"oÒÓÔÕÖòóôõöŌōŎŏŐőƠơǑǒǪǫǬǭȌȍȎȏȪȫȬȭȮȯȰȱṌṍṎṏṐṑṒṓỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợＯｏ",
	"pṔṕṖṗＰｐ",
	"qＱｑ",
	"rŔŕŖŗŘřȐȑȒȓṘṙṚṛṜṝṞṟＲｒ",
	"sŚśŜŝŞşŠšſȘșṠṡṢṣṤṥṦṧṨṩẛＳｓ",
	"tŢţŤťȚțṪṫṬṭṮṯṰṱẗＴｔ",
	"uÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųƯưǓǔǕǖǗǘǙǚǛǜȔȕȖȗṲṳṴṵṶṷṸṹṺṻỤụỦủỨứỪừỬửỮữỰựＵｕ",
	"vṼṽṾṿＶｖ",
	"wŴŵẀẁẂẃẄẅẆẇẈẉẘＷｗ",
	"xẊẋẌẍＸｘ",
	"yÝýÿŶŷŸȲȳẎẏẙỲỳỴỵỶỷỸỹＹｙ",
	"zŹźŻżŽžẐẑẒẓẔẕＺｚ",
}

var ciFoldMap = sync.OnceValue(func() map[rune]rune {
	m := map[rune]rune{}
	for _, s := range ciFolds {
		base, size := utf8.DecodeRuneInString(s)
		for _, r := range s[size:] {
			m[r] = base
		}
	}
	return m
})

// sqlText is what MySQL's m->>'$.key' gives before LIKE compares it: a
// string unquoted, any other JSON value as MySQL writes JSON (", " and
// ": " between items, object keys shorter first). ok is false when there
// is no such key (SQL NULL, which matches nothing).
func sqlText(m map[string]any, key string) (text string, ok bool) {
	v, ok := m[key]
	if !ok {
		return "", false
	}
	if s, isString := v.(string); isString {
		return s, true
	}
	var b strings.Builder
	writeMySQLJSON(&b, v)
	return b.String(), true
}

func writeMySQLJSON(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case float64, string:
		// Numbers as the real server stored them (MySQL may write a
		// very large or very small double another way).
		enc, _ := json.Marshal(v)
		b.Write(enc)
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeMySQLJSON(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(x, y string) int {
			if c := cmp.Compare(len(x), len(y)); c != 0 {
				return c
			}
			return strings.Compare(x, y)
		})
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeMySQLJSON(b, k)
			b.WriteString(": ")
			writeMySQLJSON(b, v[k])
		}
		b.WriteByte('}')
	default:
		enc, _ := json.Marshal(v)
		b.Write(enc)
	}
}

// byCreated orders two rows by creation time in each requested direction
// (all the real server allows is created_at); equal times, which the real
// server leaves in no fixed order, go by creation order in the first
// direction.
func byCreated(asc []bool, at, bt time.Time, aSeq, bSeq int) int {
	for _, up := range asc {
		c := at.Compare(bt)
		if !up {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	if len(asc) > 0 && asc[0] {
		return aSeq - bSeq
	}
	return bSeq - aSeq
}
